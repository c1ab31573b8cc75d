/// How much each occurrence of a word weighs in a document's code.
public enum DocumentWeighting: String, Sendable, Codable, CaseIterable {
    /// Every occurrence weighs 1.
    case uniform
    /// Smooth inverse frequency a / (a + p(w)), p(w) the word's share of the training corpus and
    /// a = 10⁻³ (Arora et al., 2017): frequent words weigh little, rare ones about 1.
    case sif
}

/// Binary codes of whole texts (a sentence, a paragraph, a document): the top k of the weighted sum
/// of the vectors its words' static codes are the top k of (with the `usage` read-out, of those
/// vectors scaled to length 1).
///
/// The drive of every window of a text, summed, counts each occurrence once as a centre and about
/// once per context position; the sum of the words' read-out vectors is that sum up to those
/// per-word factors and to the text's edges, and works with every read-out, the stored usage
/// profile included.
public struct DocumentHasher: Sendable {
    /// The model and read-out of the words' vectors.
    public let words: WordHasher
    /// Active bits per document code.
    public let k: Int
    /// How each occurrence weighs.
    public let weighting: DocumentWeighting
    /// Per vocabulary id, the weight of one occurrence.
    private let weights: [Float]

    /// The default active bits of document codes: 1.5 times the default k of the words' read-out
    /// with a count-weighted profile (48 of K 2048 for the usage read-out, 24 for the other
    /// read-outs' k 16), at most 255, whatever the words' own k. More bits classify a little
    /// better and search slower in more memory (docs/RESULTS.md, "Documents"): 48 is where the
    /// codes take under a tenth of a 300-dimensional float vector.
    public static func defaultK(words: WordHasher) -> Int {
        let units = words.model.options.hidden
        return min(max(1, CodeDefaults.k(for: words.readout, units: units) * 3 / 2), units, 255)
    }

    /// A hasher of texts through `words`.
    /// - Parameters:
    ///   - words: the model and read-out the words' vectors come from.
    ///   - k: active bits per document code (default: `defaultK(words:)`).
    ///   - weighting: how each occurrence weighs (default `uniform`).
    /// - Throws: ``FlyVecError`` `invalidParameter` for `k` outside 1…K.
    public init(words: WordHasher, k: Int? = nil, weighting: DocumentWeighting = .uniform) throws {
        let k = k ?? Self.defaultK(words: words)
        let units = words.model.options.hidden
        guard k >= 1 && k <= units else {
            throw FlyVecError.parameter("k", "must be between 1 and K = \(units) (got \(k))")
        }
        self.words = words
        self.k = k
        self.weighting = weighting
        let counts = words.model.vocabulary.counts
        var weights: [Float]
        switch weighting {
        case .uniform:
            weights = [Float](repeating: 1, count: counts.count)
        case .sif:
            let total = Double(max(1, counts.reduce(0, +))), a = 1e-3
            weights = counts.map { Float(a / (a + Double($0) / total)) }
        }
        if words.readout == .usage {
            // Each word's profile row as a unit vector: raw rows let the words whose rows are
            // longest decide the code, which classified package descriptions 5 points worse
            // with the log-ratio profile (docs/RESULTS.md, "Documents").
            for id in weights.indices where words.hasStaticCode(id: id) {
                let length = words.staticVectorLength(id)
                if length > 0 { weights[id] /= length }
            }
        }
        self.weights = weights
    }

    /// Vocabulary ids of the words of `text` that have a static code, in order (stop words, unknown
    /// words and, for the `usage` read-out, words its profile never saw are left out).
    public func ids(of text: String) -> [Int] {
        let vocabulary = words.model.vocabulary
        return Tokenizer.sentences(of: text, options: words.model.tokenizer).joined().compactMap {
            guard let id = vocabulary.id(of: $0), words.hasStaticCode(id: id) else { return nil }
            return id
        }
    }

    /// The weighted sum of the vectors of the words `ids` (K floats): what the code is the top k of.
    public func drive(of ids: [Int]) -> [Float] {
        var v = [Float](repeating: 0, count: words.model.options.hidden)
        for id in ids { words.addStaticVector(id, weight: weights[id], into: &v) }
        return v
    }

    /// The code of the words `ids`; nil when there are none.
    public func code(of ids: [Int]) -> BinaryCode? {
        guard !ids.isEmpty else { return nil }
        return BinaryCode(top: k, of: drive(of: ids))
    }

    /// The code of `text`; nil when it has no word with a code (empty, or only stop words and
    /// unknown words).
    public func code(of text: String) -> BinaryCode? { code(of: ids(of: text)) }
}
