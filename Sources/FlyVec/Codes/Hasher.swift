/// Turns a model's synapses into binary codes: static codes of vocabulary words and contextual codes
/// of word occurrences (ALGORITHM.md §5).
public struct Hasher: Sendable {
    public let model: Model
    /// Active bits per code.
    public let k: Int
    public let readout: Readout

    public init(model: Model, k: Int, readout: Readout) throws {
        guard k >= 1 && k <= model.options.hidden else {
            throw FlyVecError.invalid("-k must be between 1 and K = \(model.options.hidden) (got \(k))")
        }
        self.model = model
        self.k = k
        self.readout = readout
    }

    private var units: Int { model.options.hidden }
    private var nVoc: Int { model.vocabulary.count }

    /// Adds the word's read-out synapses to `into` (K floats).
    private func addReadout(_ id: Int, into v: inout [Float]) {
        let syn = model.synapses
        if readout != .context { for u in 0..<units { v[u] += syn.weight(unit: u, input: nVoc + id) } }
        if readout != .target { for u in 0..<units { v[u] += syn.weight(unit: u, input: id) } }
    }

    private func code(of v: [Float]) -> BinaryCode {
        BinaryCode(bits: units, active: v.withUnsafeBufferPointer { topK($0, k) })
    }

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
        for c in context { for u in 0..<units { v[u] += syn.weight(unit: u, input: c) } }
        return code(of: v)
    }

    /// A code for every token of every sentence of `text`, in order: nil for holes (stop words,
    /// unknown words). Context is the `window − 1` tokens around each occurrence inside its
    /// sentence, as in training.
    public func contextualCodes(of text: String) -> [[(token: String, code: BinaryCode?)]] {
        let half = model.options.window / 2
        return Tokenizer.sentences(of: text, options: model.tokenizer).map { tokens in
            let ids = tokens.map { model.vocabulary.id(of: $0) }
            return tokens.indices.map { p in
                guard let id = ids[p] else { return (tokens[p], nil) }
                let lo = max(0, p - half), hi = min(tokens.count - 1, p + (model.options.window - 1 - half))
                let context = (lo...hi).compactMap { $0 == p ? nil : ids[$0] }
                return (tokens[p], contextualCode(id: id, context: context))
            }
        }
    }
}
