/// The codes of a collection of documents, each with an id and the first characters of its text,
/// searched exactly by Hamming distance through a ``PostingIndex``.
///
/// Built with ``add(id:snippet:code:)`` and ``finish()`` (or read from an index file), queried
/// with codes that the same model and settings made (``DocumentHasher``).
public struct DocumentIndex: Sendable {
    /// How the documents' codes were made: what a query's code must be made with too.
    public struct Settings: Sendable, Equatable, Codable {
        /// Bits per code (the model's K).
        public var bits: Int
        /// Active bits per document code.
        public var k: Int
        /// The words' read-out.
        public var readout: Readout
        /// Active bits of the words' codes (the `usage` read-out's sparse width depends on it).
        public var wordK: Int
        /// How each occurrence weighs.
        public var weighting: DocumentWeighting
        /// The model's path when the index was made (absolute where it could be made so).
        public var model: String
        /// The model's fingerprint (`ModelFile.fingerprint(of:)`), to refuse another model.
        public var fingerprint: String

        /// Settings for codes made by `hasher` of the model at `model` with fingerprint `fingerprint`.
        public init(hasher: DocumentHasher, model: String, fingerprint: String) {
            bits = hasher.words.model.options.hidden
            k = hasher.k
            readout = hasher.words.readout
            wordK = hasher.words.k
            weighting = hasher.weighting
            self.model = model
            self.fingerprint = fingerprint
        }
    }

    /// How the codes were made.
    public let settings: Settings
    private var ids = TextList(), snippets = TextList()
    private var active: [UInt16] = []
    private var postings: PostingIndex?

    /// An empty index.
    /// - Throws: ``FlyVecError`` `invalidParameter` when `settings.bits` or `settings.k` is out
    ///   of range (K up to 65,536, k up to 255 and K).
    public init(settings: Settings) throws {
        guard settings.bits >= 1 && settings.bits <= 1 << 16 else {
            throw FlyVecError.parameter("bits", "must be between 1 and 65,536 (got \(settings.bits))")
        }
        guard settings.k >= 1 && settings.k <= min(255, settings.bits) else {
            throw FlyVecError.parameter("k", "must be between 1 and \(min(255, settings.bits)) (got \(settings.k))")
        }
        self.settings = settings
    }

    /// Number of documents.
    public var count: Int { ids.count }

    /// Adds a document; its code must be `settings.k` positions below `settings.bits` (a
    /// precondition), ascending (checked by `finish()`).
    public mutating func add(id: String, snippet: String, active code: [Int]) {
        precondition(code.count == settings.k && code.allSatisfy { $0 >= 0 && $0 < settings.bits },
                     "a code of \(code.count) positions for codes of \(settings.k) below \(settings.bits)")
        add(idBytes: id.utf8, snippetBytes: snippet.utf8, active: code)
    }

    /// Adds a document whose id and snippet are UTF-8 bytes already checked.
    mutating func add(idBytes: some Collection<UInt8>, snippetBytes: some Collection<UInt8>, active code: [Int]) {
        ids.append(utf8: idBytes)
        snippets.append(utf8: snippetBytes)
        active += code.map { UInt16(truncatingIfNeeded: $0) }
        postings = nil
    }

    /// Adds a document with `code` (which must have `settings.k` bits set).
    public mutating func add(id: String, snippet: String, code: BinaryCode) {
        add(id: id, snippet: snippet, active: code.activeBits)
    }

    /// Builds the posting lists: call it after the last `add` and before searching.
    /// - Throws: ``FlyVecError`` `mismatch` when a code does not have `settings.k` ascending
    ///   positions below `settings.bits`.
    public mutating func finish() throws {
        if postings == nil { postings = try PostingIndex(bits: settings.bits, k: settings.k, active: active) }
    }

    /// The id of document `i`.
    public func id(_ i: Int) -> String { ids[i] }
    /// The first characters of document `i`'s text.
    public func snippet(_ i: Int) -> String { snippets[i] }
    /// The set positions of document `i`'s code, ascending.
    public func activeBits(_ i: Int) -> [Int] { active[(i * settings.k)..<((i + 1) * settings.k)].map(Int.init) }

    /// Bytes the search structure takes (the posting lists), without ids and snippets.
    public var codeBytes: Int { postings?.memoryBytes ?? active.count * 2 }

    /// A document found by a search.
    public struct Match: Sendable, Equatable {
        /// Its position in the index.
        public let position: Int
        /// Its id.
        public let id: String
        /// The first characters of its text.
        public let snippet: String
        /// Bits where its code and the query's differ.
        public let distance: Int
        /// The fraction of the K bits where they agree, (n11 + n00) / K.
        public let similarity: Double
    }

    /// The `n` documents whose codes are nearest `code` (Hamming distance, then position).
    /// - Throws: ``FlyVecError`` `mismatch` when `code` is not a code of k of K bits,
    ///   `invalidInput` before `finish()`.
    public func nearest(to code: BinaryCode, count n: Int) throws -> [Match] {
        guard let postings else { throw FlyVecError(.invalidInput, "the index is searched before finish()") }
        guard code.bits == settings.bits, code.popcount == settings.k else {
            throw FlyVecError(.mismatch, "a query of \(code.popcount) of \(code.bits) bits for codes of \(settings.k) of \(settings.bits)")
        }
        return postings.nearest(to: code.activeBits, count: n).map {
            Match(position: $0.index, id: ids[$0.index], snippet: snippets[$0.index], distance: $0.distance,
                  similarity: Double(settings.bits - $0.distance) / Double(settings.bits))
        }
    }
}

/// Strings kept as one UTF-8 buffer and their ends: no allocation per string, for millions of them.
struct TextList: Sendable {
    private var bytes: [UInt8] = []
    private var ends: [Int] = []

    var count: Int { ends.count }

    /// Appends text given as bytes that are valid UTF-8 (the caller checked).
    mutating func append(utf8: some Collection<UInt8>) {
        bytes += utf8
        ends.append(bytes.count)
    }

    subscript(i: Int) -> String {
        let start = i == 0 ? 0 : ends[i - 1]
        return String(decoding: bytes[start..<ends[i]], as: UTF8.self)
    }
}
