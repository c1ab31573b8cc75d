/// Codes in formats other tools read, streamed a word at a time to a sink (a file being written
/// atomically, or standard output).
public enum Exporter {
    /// The formats `write` knows.
    public enum Format: String, Sendable, CaseIterable {
        /// word2vec's text vector format: `count K`, then a word and its K 0/1 values per line.
        case word2vec
        /// word2vec's binary format (gensim's `binary=True`): `count K\n`, then per word the word, a
        /// space, K little-endian float32 values 0 or 1, and a newline.
        case word2vecBinary = "word2vec-binary"
        /// NumPy `.npy` (format 1.0): a uint8 array of shape (count, ⌈K/8⌉), each code's bytes with
        /// the bits little-endian within a byte. The words are not in it (see `words(_:)`).
        case npy
    }

    /// Writes `book` in `format` through `sink`, a megabyte or a word at a time.
    public static func write(_ book: CodeBook, as format: Format,
                             to sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        var out: [UInt8] = []
        func flush(_ force: Bool = false) throws {
            guard force || out.count >= 1 << 20 else { return }
            try out.withUnsafeBytes { try sink($0) }
            out.removeAll(keepingCapacity: true)
        }
        switch format {
        case .word2vec, .word2vecBinary:
            out += Array("\(book.count) \(book.bits)\n".utf8)
            for i in 0..<book.count {
                let code = book.code(at: i)
                out += Array(book.words[i].utf8)
                if format == .word2vec {
                    for b in 0..<book.bits { out += code[b] ? [0x20, 0x31] : [0x20, 0x30] }
                } else {
                    out.append(0x20)
                    for b in 0..<book.bits { withUnsafeBytes(of: Float(code[b] ? 1 : 0).bitPattern.littleEndian) { out += $0 } }
                }
                out.append(0x0A)
                try flush()
            }
        case .npy:
            out += npyHeader(rows: book.count, columns: (book.bits + 7) / 8)
            let rowBytes = (book.bits + 7) / 8
            for i in 0..<book.count {
                let words = book.code(at: i).words
                for j in 0..<rowBytes { out.append(UInt8(truncatingIfNeeded: words[j / 8] >> UInt64(8 * (j % 8)))) }
                try flush()
            }
        }
        try flush(true)
    }

    /// The words of `book` one per line, in the order of its codes (beside an `.npy` export).
    public static func words(_ book: CodeBook) -> [UInt8] {
        Array((book.words.joined(separator: "\n") + "\n").utf8)
    }

    /// The header of a 2-D uint8 `.npy` array, padded to a multiple of 64 bytes.
    private static func npyHeader(rows: Int, columns: Int) -> [UInt8] {
        var header = "{'descr': '|u1', 'fortran_order': False, 'shape': (\(rows), \(columns)), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        out += [UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)]
        return out + Array(header.utf8)
    }
}
