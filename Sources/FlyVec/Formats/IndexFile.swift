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
        _ = try DocumentIndex(settings: settings)  // settings a reader would refuse are refused here
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

    /// Reads the index file at `path`, its posting lists built. The file is decompressed and parsed
    /// a chunk at a time: memory holds the index, not the file.
    /// - Throws: ``FlyVecError`` `cannotRead`, `wrongFileKind`, `unsupportedVersion` or `corrupt`.
    public static func read(_ path: String) throws -> DocumentIndex {
        var parser = Parser(file: path)
        try PayloadStream(path: path, magic: magic, versions: version...version, kind: "FlyVec index").forEachPiece { try parser.feed($0) }
        return try parser.finish()
    }

    /// Decodes a whole index file held in memory; `file` names it in errors.
    public static func decode(_ bytes: [UInt8], file: String) throws -> DocumentIndex {
        let (payload, _) = try Envelope.unwrap(bytes, magic: magic, versions: version...version, kind: "FlyVec index", file: file)
        var parser = Parser(file: file)
        try payload.withBytes { try parser.feed($0) }
        return try parser.finish()
    }

    /// Parses a payload given in pieces: the settings, then each complete record as soon as its
    /// last byte arrives.
    private struct Parser {
        let file: String
        var pending: [UInt8] = []
        /// Payload bytes dropped from the front of `pending` (for offsets in errors).
        var consumed = 0
        var index: DocumentIndex?
        var width = 0, size = 0
        var count: UInt64?

        init(file: String) { self.file = file }

        func corrupt(_ why: String, at: Int) -> FlyVecError {
            FlyVecError(.corrupt, "corrupt: \(why)", file: file, offset: consumed + at)
        }

        /// The u64 at `at` in `pending`, if that many bytes are there.
        func u64(at: Int) -> UInt64? {
            guard pending.count - at >= 8 else { return nil }
            return pending.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
        }

        /// A length-prefixed blob at `at`: its byte range, or nil if not all there yet.
        func blob(at: Int, limit: Int) throws -> Range<Int>? {
            guard let n = u64(at: at) else { return nil }
            guard n <= UInt64(limit) else { throw corrupt("a length of \(n) bytes", at: at) }
            return pending.count - at - 8 >= Int(n) ? (at + 8)..<(at + 8 + Int(n)) : nil
        }

        mutating func feed(_ chunk: UnsafeRawBufferPointer) throws {
            pending += chunk
            var at = 0
            defer {
                pending.removeFirst(at)
                consumed += at
            }
            if index == nil {
                guard let range = try blob(at: 0, limit: 1 << 20) else { return }
                let settings: DocumentIndex.Settings
                do {
                    settings = try JSONDecoder().decode(DocumentIndex.Settings.self, from: Data(pending[range]))
                    index = try DocumentIndex(settings: settings)
                } catch {
                    throw corrupt("index settings (\(error))", at: 0)
                }
                width = PackedIndices.width(bits: settings.bits)
                size = PackedIndices.bytes(k: settings.k, width: width)
                at = range.upperBound
            }
            while at < pending.count {
                guard count == nil else { throw corrupt("bytes after the document count", at: at) }
                switch pending[at] {
                case 0:
                    guard let n = u64(at: at + 1) else { return }
                    count = n
                    at += 9
                case 1:
                    guard let id = try blob(at: at + 1, limit: 1 << 30),
                          let snippet = try blob(at: id.upperBound, limit: 1 << 30),
                          pending.count - snippet.upperBound >= size else { return }
                    let code = snippet.upperBound..<(snippet.upperBound + size)
                    guard isUTF8(pending[id]) && isUTF8(pending[snippet]) else {
                        throw corrupt("the id or snippet of document \(index!.count + 1) is not UTF-8", at: at)
                    }
                    let k = index!.settings.k, bits = index!.settings.bits
                    guard let active = PackedIndices.unpack(pending[code], k: k, width: width, below: bits) else {
                        throw corrupt("the code of document \(index!.count + 1) is not \(k) ascending positions below K = \(bits)", at: at)
                    }
                    index!.add(idBytes: pending[id], snippetBytes: pending[snippet], active: active)
                    at = code.upperBound
                default:
                    throw corrupt("unknown record tag \(pending[at])", at: at)
                }
            }
        }

        mutating func finish() throws -> DocumentIndex {
            guard var index, let count, pending.isEmpty else {
                throw FlyVecError(.corrupt, "truncated or corrupt: the index ends inside \(index == nil ? "its settings" : "its documents") at payload byte \(consumed + pending.count)", file: file, offset: consumed)
            }
            guard count == UInt64(index.count) else {
                throw FlyVecError(.corrupt, "corrupt: the index ends saying \(count) documents, it holds \(index.count)", file: file)
            }
            try index.finish()
            return index
        }
    }
}

/// Whether `bytes` are valid UTF-8 (ASCII, the common case, checked without decoding).
private func isUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
    bytes.allSatisfy { $0 < 0x80 } || String(validating: bytes, as: UTF8.self) != nil
}

extension ModelFile {
    /// A hex digest of `model`'s vocabulary, options, training history, tokenizer settings, and
    /// samples of its weights and stored usage profile:
    /// what an index keeps to refuse queries encoded with another model. Read the model with all
    /// its synapses (`SynapseLoading.all`): a model read without them has none to sample.
    public static func fingerprint(of model: Model) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ bytes: some Sequence<UInt8>) { for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 } }
        for (w, c) in zip(model.vocabulary.words, model.vocabulary.counts) { mix(w.utf8); mix(String(c).utf8) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        mix((try? encoder.encode(model.options)) ?? Data())
        mix((try? encoder.encode(model.history)) ?? Data())
        let t = model.tokenizer
        mix("\(t.ascii) \(t.pretokenized)".utf8)
        if let usage = model.usage {
            mix((try? encoder.encode(usage.settings)) ?? Data())
            for i in stride(from: 0, to: usage.vectors.count, by: max(1, usage.vectors.count / 256)) {
                withUnsafeBytes(of: usage.vectors[i].bitPattern) { mix($0) }
            }
        }
        let syn = model.synapses, step = max(1, syn.inputs / 256)
        for input in stride(from: 0, to: syn.inputs, by: step) {
            withUnsafeBytes(of: syn.weight(unit: input % syn.units, input: input).bitPattern) { mix($0) }
        }
        return String(h, radix: 16)
    }
}
