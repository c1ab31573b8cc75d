import CFlyVecSupport

/// Turns a model's synapses into binary codes: static codes of vocabulary words and contextual codes
/// of word occurrences (docs/ALGORITHM.md §5).
public struct WordHasher: Sendable {
    /// The model whose synapses, vocabulary, tokenizer and stored usage profile the codes come from.
    public let model: Model
    /// Active bits per code.
    public let k: Int
    /// The read-out every code is made with (the default already resolved at init).
    public let readout: Readout
    /// For `sumz`: each unit's mean and 1/standard deviation over the vocabulary's `sum` vectors.
    private let mean: [Float], inverseDeviation: [Float]
    /// For `usage`: the words' profiles over a corpus.
    private let usage: UsageProfile?

    /// A hasher of `model`'s words.
    /// - Parameters:
    ///   - model: the trained model whose synapses (or stored profile) are read out.
    ///   - k: active bits per code (default: `CodeDefaults.k(for:units:profile:)` of the read-out
    ///     and the profile).
    ///   - readout: default: `usage` when a profile is given or stored, else `CodeDefaults.readout`.
    ///   - usage: the profile for the `usage` read-out (default: the one stored in the model);
    ///     ignored by the other read-outs.
    public init(model: Model, k: Int? = nil, readout: Readout? = nil, usage: UsageProfile? = nil) throws {
        let readout = readout ?? (usage != nil ? .usage : CodeDefaults.readout(for: model))
        let usage = usage ?? model.usage
        let k = k ?? CodeDefaults.k(for: readout, units: model.options.hidden, profile: usage?.settings)
        guard k >= 1 && k <= model.options.hidden else {
            throw FlyVecError.parameter("k", "must be between 1 and K = \(model.options.hidden) (got \(k))")
        }
        if !model.synapses.isLoaded && (readout != .usage || usage?.needsSynapses == true) {
            throw FlyVecError(.mismatch, "the \(readout.rawValue) read-out needs the model's synapses, and the model was read without them (ModelFile.SynapseLoading)")
        }
        if readout == .usage {
            guard let usage else {
                throw FlyVecError(.mismatch, "the usage read-out needs a usage profile: this model stores none, so make one from a corpus")
            }
            guard usage.fits(units: model.options.hidden, words: model.vocabulary.count) else {
                throw FlyVecError(.mismatch, "the usage profile was made with another model")
            }
        }
        self.model = model
        self.k = k
        self.readout = readout
        self.usage = readout == .usage ? usage : nil
        if readout == .sumz {
            (mean, inverseDeviation) = Self.unitStatistics(model)
        } else {
            (mean, inverseDeviation) = ([], [])
        }
    }

    /// Mean and 1/σ of every unit over the `sum` read-out vectors of the vocabulary words.
    private static func unitStatistics(_ model: Model) -> ([Float], [Float]) {
        let syn = model.synapses, n = model.vocabulary.count
        let stats = UnitStatistics(units: model.options.hidden, rows: Array(1..<n)) { id, u in
            Double(syn.weight(unit: u, input: id) + syn.weight(unit: u, input: n + id))
        }
        return (stats.mean.map { Float($0) }, stats.inverseDeviation)
    }

    private var units: Int { model.options.hidden }
    private var nVoc: Int { model.vocabulary.count }

    /// Adds `weight` times the word's read-out synapses (or usage profile) to `into` (K floats).
    private func addReadout(_ id: Int, weight: Float = 1, into v: inout [Float]) {
        if let usage {
            HalfPrecision.floats.withUnsafeBufferPointer { table in
                usage.vectors.withUnsafeBufferPointer { vectors in
                    (vectors.baseAddress! + id * units).withMemoryRebound(to: UInt16.self, capacity: units) { row in
                        flyvec_add_halves(&v, row, weight, units, table.baseAddress!)
                    }
                }
            }
            return
        }
        let syn = model.synapses
        if readout != .context { for u in 0..<units { v[u] += weight * syn.weight(unit: u, input: nVoc + id) } }
        if readout != .target { for u in 0..<units { v[u] += weight * syn.weight(unit: u, input: id) } }
    }

    /// The length of the vector `addStaticVector` adds with weight 1.
    func staticVectorLength(_ id: Int) -> Float {
        var v = [Float](repeating: 0, count: units)
        addStaticVector(id, weight: 1, into: &v)
        return v.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }

    /// Adds `weight` times the vector whose top k is word `id`'s static code (for `sumz`, the
    /// z-scored read-out): what a document's code sums.
    func addStaticVector(_ id: Int, weight: Float, into v: inout [Float]) {
        guard readout == .sumz else { return addReadout(id, weight: weight, into: &v) }
        var raw = [Float](repeating: 0, count: units)
        addReadout(id, into: &raw)
        for u in 0..<units { v[u] += weight * (raw[u] - mean[u]) * inverseDeviation[u] }
    }

    private func code(of v: [Float]) -> BinaryCode {
        var v = v
        if readout == .sumz { for u in 0..<units { v[u] = (v[u] - mean[u]) * inverseDeviation[u] } }
        return BinaryCode(bits: units, active: v.withUnsafeBufferPointer { topK($0, k) })
    }

    /// Whether vocabulary id `id` has a static code: every word has one, except, for the `usage`
    /// read-out, words the profile's corpus never holds.
    public func hasStaticCode(id: Int) -> Bool { usage?.describes(id) ?? true }

    /// The static code of vocabulary id `id`: the top k of its read-out vector.
    public func staticCode(id: Int) -> BinaryCode {
        var v = [Float](repeating: 0, count: units)
        addReadout(id, into: &v)
        return code(of: v)
    }

    /// The contextual code of the word with id `id` among context word ids `context` (holes left
    /// out): the top k of the drive of the whole window — the centre word's read-out vector plus
    /// the context half of every context word. With no context it is the static code.
    public func contextualCode(id: Int, context: [Int]) -> BinaryCode {
        var v = [Float](repeating: 0, count: units)
        addReadout(id, into: &v)
        let syn = model.synapses
        if let usage, usage.directions.count > 0 {
            // What the context adds loses the directions the profile lost, as if the whole window
            // had been profiled.
            guard !context.isEmpty else { return code(of: v) }
            var added = [Float](repeating: 0, count: units)
            for c in context { usage.addContext(c, synapses: syn, into: &added) }
            usage.directions.remove(from: &added)
            for u in 0..<units { v[u] += added[u] }
        } else if let usage {
            for c in context { usage.addContext(c, synapses: syn, into: &v) }
        } else {
            for c in context { for u in 0..<units { v[u] += syn.weight(unit: u, input: c) } }
        }
        return code(of: v)
    }

    /// A code for every token of every sentence of `text`, in order: nil for holes (stop words,
    /// unknown words). Context is the `window − 1` tokens around each occurrence inside its
    /// sentence: the training window, or for `usage` the window its profile was made over.
    public func contextualCodes(of text: String) -> [[(token: String, code: BinaryCode?)]] {
        // The usage read-out's context is the one its profile was made over.
        let shape = WindowShape(width: usage?.settings.window ?? model.options.window)
        return Tokenizer.sentences(of: text, options: model.tokenizer).map { tokens in
            let ids = tokens.map { model.vocabulary.id(of: $0) }
            return tokens.indices.map { p in
                guard let id = ids[p] else { return (tokens[p], nil) }
                let context = shape.positions(around: p, in: tokens.indices).compactMap { $0 == p ? nil : ids[$0] }
                return (tokens[p], contextualCode(id: id, context: context))
            }
        }
    }
}
