/// Text queries against a document index: the query is coded by the model and settings the index
/// was made with, and its nearest documents are found.
public struct DocumentSearch: Sendable {
    /// The documents.
    public let index: DocumentIndex
    /// How queries are coded: as the documents were.
    public let hasher: DocumentHasher

    /// A search of `index` whose queries `model` codes.
    /// - Throws: ``FlyVecError`` `mismatch` when `model` is not the one the index was made with.
    public init(index: DocumentIndex, model: Model) throws {
        let s = index.settings
        guard model.synapses.isLoaded else {
            throw FlyVecError(.mismatch, "the model was read without its synapses (ModelFile.SynapseLoading), which an index's fingerprint reads: read it whole")
        }
        guard ModelFile.fingerprint(of: model) == s.fingerprint else {
            throw FlyVecError(.mismatch, "the model is not the one the index was made with (\(s.model))")
        }
        self.index = index
        hasher = try DocumentHasher(words: try WordHasher(model: model, k: s.wordK, readout: s.readout), k: s.k, weighting: s.weighting)
    }

    /// Reads the index at `path` and the model it was made with: `model`, or else the path the
    /// index recorded.
    /// - Throws: ``FlyVecError`` for an unreadable or damaged file, `mismatch` for another model.
    public init(index path: String, model: String? = nil) throws {
        let index = try IndexFile.read(path)
        do {
            try self.init(index: index, model: try ModelFile.read(model ?? index.settings.model))
        } catch let e as FlyVecError where e.kind == .mismatch {
            throw e.naming(model ?? index.settings.model)
        }
    }

    /// The `count` documents nearest to `text`; nil when the text has no word the model knows.
    public func nearest(to text: String, count: Int) throws -> [DocumentIndex.Match]? {
        guard let code = hasher.code(of: text) else { return nil }
        return try index.nearest(to: code, count: count)
    }
}
