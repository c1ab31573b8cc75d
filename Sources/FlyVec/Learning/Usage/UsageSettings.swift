/// How a usage profile is made: the context words around each occurrence, their weights, and
/// whether the words' vectors are sparse codes or dense synapses.
public struct UsageSettings: Sendable, Equatable, Codable {
    /// `sparse`: each context word adds its `sparseWidth` strongest context synapses (order 1) or
    /// its order-1 code (order 2). `dense`: all K of them, as FlyVec did before (docs/RESULTS.md).
    public enum Method: String, Sendable, Codable, CaseIterable {
        case sparse, dense
    }

    /// How much a co-occurring pair (w, c) adds at order 2.
    public enum Weighting: String, Sendable, Codable, CaseIterable {
        /// Its count times c's corpus count to the power −`power`; stop words are holes. FlyVec's
        /// default before 2026-12-07.
        case count
        /// log((1 + r) / 2), cut at 0, where r is how many times more often w and c meet than c's
        /// share of all co-occurrences says; stop words count as context words, adding their
        /// order-1 codes (made from the vocabulary words around them). Sparse order 2 only:
        /// other profiles weigh by count.
        case logRatio = "log-ratio"
    }

    /// The weighting a profile made with these settings uses: `count` unless sparse at order 2.
    public var effectiveWeighting: Weighting { method == .sparse && order == 2 ? weighting : .count }

    /// Words around each occurrence that are its context, the word included.
    public var window = 11
    /// 1: a word is described by the words around it; 2: by how those words are used.
    public var order = 2
    /// A context word weighs its corpus count to the power −`power`.
    public var power = 0.5
    /// Whether context words add sparse codes or whole synapse columns; only `sparse` profiles can
    /// be stored in a model.
    public var method = Method.sparse
    /// How many of the profile's strongest principal directions are removed from it before codes
    /// are read (0: none, as FlyVec did before 2026-12-06). nil: for log-ratio weights, the
    /// outstanding ones among the `candidateDirections(units:)` strongest (`outstandingDirection`); for count weights,
    /// `defaultDirections(units:)`. A made profile's settings hold the number it removed.
    public var directions: Int?
    /// The weight of a co-occurring pair at order 2 (order 1 always weighs by count).
    public var weighting = Weighting.logRatio

    /// Settings as given, checked only by `validate()`; the defaults are FlyVec's.
    public init(window: Int = 11, order: Int = 2, power: Double = 0.5, method: Method = .sparse, directions: Int? = nil,
                weighting: Weighting = .logRatio) {
        self.window = window
        self.order = order
        self.power = power
        self.method = method
        self.directions = directions
        self.weighting = weighting
    }

    private enum CodingKeys: String, CodingKey {
        case window, order, power, method, directions, weighting
    }

    /// Settings as a model file stores them; a file written before the `weighting` existed
    /// weighed by count.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        window = try c.decode(Int.self, forKey: .window)
        order = try c.decode(Int.self, forKey: .order)
        power = try c.decode(Double.self, forKey: .power)
        method = try c.decode(Method.self, forKey: .method)
        directions = try c.decodeIfPresent(Int.self, forKey: .directions)
        weighting = try c.decodeIfPresent(Weighting.self, forKey: .weighting) ?? .count
    }

    /// Directions removed from a count-weighted profile of K `units` by default: K / 128 (16 at
    /// K 2048), the number measured best on the larger corpora (docs/RESULTS.md).
    public static func defaultDirections(units: Int) -> Int { units / 128 }

    /// A log-ratio profile loses by default those of its `candidateDirections(units:)` strongest
    /// directions that hold over this many times the average direction's share of its variance
    /// (about 0.5% at K 2048): measured as good as K / 128 on en-mix, misc-en and large-en and
    /// better on docs-en, whose spectrum has fewer outstanding directions (docs/RESULTS.md).
    public static let outstandingDirection = 10.0

    /// The strongest directions of a log-ratio profile of K `units` searched for those that stand
    /// out (or for the number asked, when more): K / 64, at most 32.
    public static func candidateDirections(units: Int) -> Int { min(units / 64, 32) }

    /// Units a context word contributes to in the sparse method (its code's length) with K
    /// `units`: 32, and at most a sixteenth of the units (at least 1), so that the vector stays
    /// sparse; also the default k of `usage` codes of a count-weighted profile.
    public static func sparseWidth(units: Int) -> Int { max(1, min(32, units / 16)) }

    /// Rejects impossible settings before any work starts.
    public func validate() throws {
        guard window >= 2 else { throw FlyVecError.parameter("usage.window", "must be at least 2 words (got \(window))") }
        guard window <= 255 else { throw FlyVecError.parameter("usage.window", "must be at most 255 words (got \(window))") }
        guard order == 1 || order == 2 else { throw FlyVecError.parameter("usage.order", "must be 1 or 2 (got \(order))") }
        guard power.isFinite && power >= 0 else { throw FlyVecError.parameter("usage.power", "must be zero or positive") }
        if let directions, directions < 0 || directions > 4096 {
            throw FlyVecError.parameter("usage.directions", "must be between 0 and 4096 (got \(directions))")
        }
    }
}
