import Foundation

/// The document index file (`.flyindex`); docs/FORMAT.md documents it byte by byte.
///
/// Payload: the settings as JSON, then one record per document (a byte 1, the id and the snippet
/// as length-prefixed UTF-8, the code's k set positions packed in ⌈log2 K⌉ bits each), then a byte
/// 0 and the number of documents as a u64. Records stream, so an index of any size is written in
/// bounded memory.
public enum IndexFile {
    static let magic: [UInt8] = Array("FLYVECI\0".utf8)
    /// The format this FlyVec writes and reads.
    public static let version: UInt32 = 1

    /// Writes an index atomically, one document at a time: `body` is called once with an `add`
    /// function that appends a document (its id, snippet and code's ascending set positions).
    /// - Returns: the number of documents written.
    /// - Throws: ``FlyVecError`` `cannotWrite`, `mismatch` for a code that is not k positions
    ///   below K, or what `body` throws (the file is then not written).
    @discardableResult
    public static func write(to path: String, settings: DocumentIndex.Settings,
                             _ body: (_ add: (_ id: String, _ snippet: String, _ active: [Int]) throws -> Void) throws -> Void) throws -> Int {
        let width = PackedIndices.width(bits: settings.bits)
        var count = 0
        try Envelope.write(to: path, magic: magic, version: version, level: 3) { w in
            try w.json(settings)
            try withoutActuallyEscaping({ (id: String, snippet: String, active: [Int]) throws in
                guard active.count == settings.k, active.allSatisfy({ $0 >= 0 && $0 < settings.bits }),
                      zip(active, active.dropFirst()).allSatisfy({ $0 < $1 }) else {
                    throw FlyVecError(.mismatch, "the code of document '\(id)' is not \(settings.k) ascending positions below \(settings.bits)")
                }
                w.raw([1])
                w.blob(Array(id.utf8))
                w.blob(Array(snippet.utf8))
                w.raw(PackedIndices.pack(active, width: width))
                count += 1
                try w.flush()
            }) { try body($0) }
            w.raw([0])
            w.u64(UInt64(count))
        }
        return count
    }

    /// Writes `index` (every document it holds) atomically.
    public static func write(_ index: DocumentIndex, to path: String) throws {
        try write(to: path, settings: index.settings) { add in
            for i in 0..<index.count { try add(index.id(i), index.snippet(i), index.activeBits(i)) }
        }
    }

    /// True when the bytes start like an index file.
    public static func matches(_ bytes: [UInt8]) -> Bool { bytes.count >= 8 && Array(bytes[0..<8]) == magic }

    /// Reads the index file at `path`, its posting lists built.
    /// - Throws: ``FlyVecError`` `cannotRead`, `wrongFileKind`, `unsupportedVersion` or `corrupt`.
    public static func read(_ path: String) throws -> DocumentIndex {
        try decode(try AtomicFile.read(path), file: path)
    }

    /// Decodes a whole index file held in memory; `file` names it in errors.
    public static func decode(_ bytes: [UInt8], file: String) throws -> DocumentIndex {
        let (payload, _) = try Envelope.unwrap(bytes, magic: magic, versions: version...version, kind: "FlyVec index", file: file)
        var r = ByteReader(payload, file: file)
        let settings: DocumentIndex.Settings
        do {
            settings = try JSONDecoder().decode(DocumentIndex.Settings.self, from: Data(try r.blob("settings", limit: 1 << 20)))
        } catch let e as FlyVecError { throw e } catch {
            throw FlyVecError(.corrupt, "corrupt index settings", file: file)
        }
        var index: DocumentIndex
        do {
            index = try DocumentIndex(settings: settings)
        } catch {
            throw FlyVecError(.corrupt, "corrupt index settings: \(error)", file: file)
        }
        let width = PackedIndices.width(bits: settings.bits), size = PackedIndices.bytes(k: settings.k, width: width)
        while try r.raw(1, "a record's tag").first! == 1 {
            let at = r.offset
            let id = try r.blob("a document id"), snippet = try r.blob("a snippet")
            guard isUTF8(id) && isUTF8(snippet) else {
                throw FlyVecError(.corrupt, "corrupt: the id or snippet of document \(index.count + 1) is not UTF-8", file: file, offset: at)
            }
            guard let active = PackedIndices.unpack(try r.raw(size, "a code"), k: settings.k, width: width, below: settings.bits) else {
                throw FlyVecError(.corrupt, "corrupt: the code of document \(index.count + 1) is not \(settings.k) ascending positions below K = \(settings.bits)", file: file, offset: at)
            }
            index.add(idBytes: id, snippetBytes: snippet, active: active)
        }
        guard payload[r.offset - 1] == 0 else {
            throw FlyVecError(.corrupt, "corrupt: unknown record tag \(payload[r.offset - 1])", file: file, offset: r.offset - 1)
        }
        let count = try r.u64("the document count")
        guard count == UInt64(index.count) else {
            throw FlyVecError(.corrupt, "corrupt: the index ends saying \(count) documents, it holds \(index.count)", file: file)
        }
        try r.expectEnd("the document count")
        try index.finish()
        return index
    }
}

/// Whether `bytes` are valid UTF-8 (ASCII, the common case, checked without decoding).
private func isUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
    bytes.allSatisfy { $0 < 0x80 } || String(validating: bytes, as: UTF8.self) != nil
}

extension ModelFile {
    /// A hex digest of `model`'s vocabulary, options, training history and a sample of its weights:
    /// what an index keeps to refuse queries encoded with another model.
    public static func fingerprint(of model: Model) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ bytes: some Sequence<UInt8>) { for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 } }
        for (w, c) in zip(model.vocabulary.words, model.vocabulary.counts) { mix(w.utf8); mix(String(c).utf8) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        mix((try? encoder.encode(model.options)) ?? Data())
        mix((try? encoder.encode(model.history)) ?? Data())
        let syn = model.synapses, step = max(1, syn.inputs / 256)
        for input in stride(from: 0, to: syn.inputs, by: step) {
            withUnsafeBytes(of: syn.weight(unit: input % syn.units, input: input).bitPattern) { mix($0) }
        }
        return String(h, radix: 16)
    }
}
