import Foundation

/// The code file (`.flycodes`); docs/FORMAT.md documents it byte by byte.
///
/// Payload: metadata as JSON (K, k, read-out, word count), the words one per line, then every
/// word's code as ⌈K/64⌉ little-endian 64-bit words.
public enum CodeFile {
    static let magic: [UInt8] = Array("FLYVECC\0".utf8)
    public static let version: UInt32 = 1

    struct Metadata: Codable {
        var bits: Int
        var k: Int
        var readout: Readout
        var words: Int
    }

    public static func write(_ book: CodeBook, to path: String) throws {
        try Envelope.write(to: path, magic: magic, version: version, level: 1) { w in
            w.blob(try JSONEncoder().encode(Metadata(bits: book.bits, k: book.k, readout: book.readout, words: book.count)))
            w.blob(Array(book.words.joined(separator: "\n").utf8))
            for word in book.index.storage {
                w.u64(word)
                try w.flush()
            }
        }
    }

    /// True when the bytes start like a code file.
    public static func matches(_ bytes: [UInt8]) -> Bool { bytes.count >= 8 && Array(bytes[0..<8]) == magic }

    public static func read(_ path: String) throws -> CodeBook {
        try decode(try AtomicFile.read(path), file: path)
    }

    public static func decode(_ bytes: [UInt8], file: String) throws -> CodeBook {
        let payload = try Envelope.unwrap(bytes, magic: magic, version: version, kind: "FlyVec code file", file: file)
        var r = ByteReader(payload, file: file)
        let meta: Metadata
        do {
            meta = try JSONDecoder().decode(Metadata.self, from: Data(try r.blob("metadata", limit: 1 << 20)))
        } catch let e as FlyVecError { throw e } catch {
            throw FlyVecError.file(file, "corrupt code-file metadata")
        }
        guard meta.bits >= 2, meta.bits <= 1 << 16, meta.k >= 1, meta.k <= meta.bits, meta.words >= 0 else {
            throw FlyVecError.file(file, "corrupt code-file metadata: K \(meta.bits), k \(meta.k), \(meta.words) words")
        }
        let text = try r.string("words")
        let words = meta.words == 0 ? [] : text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard words.count == meta.words else {
            throw FlyVecError.file(file, "corrupt: the header says \(meta.words) words, the word list has \(words.count)")
        }
        let perCode = (meta.bits + 63) / 64
        var codes = [UInt64]()
        codes.reserveCapacity(meta.words * perCode)
        let padding: UInt64 = meta.bits % 64 == 0 ? 0 : ~0 << UInt64(meta.bits % 64)
        for c in 0..<meta.words {
            var ones = 0
            for j in 0..<perCode {
                let word = try r.u64("codes")
                ones += word.nonzeroBitCount
                if j == perCode - 1 && word & padding != 0 { throw FlyVecError.file(file, "corrupt: code \(c) has bits beyond K") }
                codes.append(word)
            }
            guard ones == meta.k else { throw FlyVecError.file(file, "corrupt: code \(c) has \(ones) bits set, not k = \(meta.k)") }
        }
        try r.expectEnd("the codes")
        do {
            return try CodeBook(bits: meta.bits, k: meta.k, readout: meta.readout, words: words, codes: codes)
        } catch {
            throw FlyVecError.file(file, "corrupt: \(error)")
        }
    }
}
