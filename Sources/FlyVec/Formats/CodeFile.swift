import Foundation

/// The code file (`.flycodes`); docs/FORMAT.md documents it byte by byte.
///
/// Payload: metadata as JSON (K, k, read-out, word count, layout), the words one per line, then
/// every word's code: as its k set positions packed in ⌈log2 K⌉ bits each when that is smaller than
/// the bitmap (k 32 of K 1600 in 352 bits), else as ⌈K/64⌉ little-endian 64-bit words.
public enum CodeFile {
    static let magic: [UInt8] = Array("FLYVECC\0".utf8)
    /// The newest format: 2 has the layout field and packed positions. Bitmap files are still
    /// written as version 1, so older FlyVec builds read them.
    public static let version: UInt32 = 2

    struct Metadata: Codable {
        var bits: Int
        var k: Int
        var readout: Readout
        var words: Int
        /// "indices" or "bitmap" (absent in files written before there was a choice: bitmap).
        var layout: String?
    }

    /// Bits a code takes in a code file of format `version` (before compression): in version 2,
    /// k positions of ⌈log2 K⌉ bits or the ⌈K/64⌉ 64-bit words of a bitmap, whichever is smaller
    /// (what `write` chooses); in version 1, always the bitmap.
    public static func storedBits(bits: Int, k: Int, version: UInt32 = CodeFile.version) -> Int {
        let bitmap = (bits + 63) / 64 * 64
        return version == 1 ? bitmap : min(k * PackedIndices.width(bits: bits), bitmap)
    }

    /// Writes `book` to `path` atomically: version 2 with packed positions when they take fewer bits
    /// than the bitmap, else version 1.
    /// - Throws: ``FlyVecError`` `cannotWrite`.
    public static func write(_ book: CodeBook, to path: String) throws {
        let width = PackedIndices.width(bits: book.bits)
        let indices = storedBits(bits: book.bits, k: book.k) < storedBits(bits: book.bits, k: book.k, version: 1)
        try Envelope.write(to: path, magic: magic, version: indices ? 2 : 1, level: 1) { w in
            try w.json(Metadata(bits: book.bits, k: book.k, readout: book.readout, words: book.count,
                                layout: indices ? "indices" : nil))
            w.blob(Array(book.words.joined(separator: "\n").utf8))
            if indices {
                for c in 0..<book.count {
                    w.raw(PackedIndices.pack(book.code(at: c).activeBits, width: width))
                    try w.flush()
                }
            } else {
                for word in book.index.storage {
                    w.u64(word)
                    try w.flush()
                }
            }
        }
    }

    /// The format version in a code file's header, if the bytes are long enough to have one.
    public static func formatVersion(of bytes: [UInt8]) -> UInt32? { Envelope.version(of: bytes) }

    /// True when the bytes start like a code file.
    public static func matches(_ bytes: [UInt8]) -> Bool { bytes.count >= 8 && Array(bytes[0..<8]) == magic }

    /// Reads the code file at `path` (version 1 or 2).
    /// - Throws: ``FlyVecError`` `cannotRead`, `wrongFileKind`, `unsupportedVersion` or `corrupt`.
    public static func read(_ path: String) throws -> CodeBook {
        try decode(try AtomicFile.read(path), file: path)
    }

    /// Decodes a whole code file held in memory; `file` names it in errors.
    /// - Throws: ``FlyVecError`` `wrongFileKind`, `unsupportedVersion` or `corrupt`.
    public static func decode(_ bytes: [UInt8], file: String) throws -> CodeBook {
        let (payload, fileVersion) = try Envelope.unwrap(bytes, magic: magic, versions: 1...version, kind: "FlyVec code file", file: file)
        var r = ByteReader(payload, file: file)
        let meta: Metadata
        do {
            meta = try JSONDecoder().decode(Metadata.self, from: Data(try r.blob("metadata", limit: 1 << 20)))
        } catch let e as FlyVecError { throw e } catch {
            throw FlyVecError(.corrupt, "corrupt code-file metadata", file: file)
        }
        guard meta.bits >= 2, meta.bits <= 1 << 16, meta.k >= 1, meta.k <= meta.bits, meta.words >= 0 else {
            throw FlyVecError(.corrupt, "corrupt code-file metadata: K \(meta.bits), k \(meta.k), \(meta.words) words", file: file)
        }
        let text = try r.string("words")
        let words = meta.words == 0 ? [] : text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard words.count == meta.words else {
            throw FlyVecError(.corrupt, "corrupt: the header says \(meta.words) words, the word list has \(words.count)", file: file)
        }
        let perCode = (meta.bits + 63) / 64
        var codes = [UInt64]()
        codes.reserveCapacity(meta.words * perCode)
        if fileVersion == 1 && meta.layout != nil {
            throw FlyVecError(.corrupt, "corrupt code-file metadata: a version 1 file has no layout", file: file)
        }
        switch meta.layout ?? "bitmap" {
        case "bitmap": break
        case "indices":
            let width = PackedIndices.width(bits: meta.bits), size = PackedIndices.bytes(k: meta.k, width: width)
            for c in 0..<meta.words {
                guard let active = PackedIndices.unpack(try r.raw(size, "codes"), k: meta.k, width: width, below: meta.bits) else {
                    throw FlyVecError(.corrupt, "corrupt: code \(c) is not \(meta.k) ascending positions below K = \(meta.bits)", file: file)
                }
                codes += BinaryCode(bits: meta.bits, active: active).words
            }
            try r.expectEnd("the codes")
            return try book(meta, words, codes, file)
        default:
            throw FlyVecError(.corrupt, "corrupt code-file metadata: unknown layout \(meta.layout!)", file: file)
        }
        let padding: UInt64 = meta.bits % 64 == 0 ? 0 : ~0 << UInt64(meta.bits % 64)
        for c in 0..<meta.words {
            var ones = 0
            for j in 0..<perCode {
                let word = try r.u64("codes")
                ones += word.nonzeroBitCount
                if j == perCode - 1 && word & padding != 0 { throw FlyVecError(.corrupt, "corrupt: code \(c) has bits beyond K", file: file) }
                codes.append(word)
            }
            guard ones == meta.k else { throw FlyVecError(.corrupt, "corrupt: code \(c) has \(ones) bits set, not k = \(meta.k)", file: file) }
        }
        try r.expectEnd("the codes")
        return try book(meta, words, codes, file)
    }

    private static func book(_ meta: Metadata, _ words: [String], _ codes: [UInt64], _ file: String) throws -> CodeBook {
        do {
            return try CodeBook(bits: meta.bits, k: meta.k, readout: meta.readout, words: words, codes: codes)
        } catch {
            throw FlyVecError(.corrupt, "corrupt: \(error)", file: file)
        }
    }
}
