/// Codes in formats other tools read.
public enum Exporter {
    /// word2vec's text vector format: `count K`, then a word and its K 0/1 values per line.
    public static func word2vecText(_ book: CodeBook) -> String {
        var out = "\(book.count) \(book.bits)\n"
        for i in 0..<book.count {
            let code = book.code(at: i)
            out += book.words[i]
            for b in 0..<book.bits { out += code[b] ? " 1" : " 0" }
            out += "\n"
        }
        return out
    }

    /// A NumPy `.npy` (format 1.0) uint8 array of shape (count, ⌈K/8⌉): each code's bytes,
    /// bits little-endian within a byte.
    public static func npy(_ book: CodeBook) -> [UInt8] {
        let rowBytes = (book.bits + 7) / 8
        var header = "{'descr': '|u1', 'fortran_order': False, 'shape': (\(book.count), \(rowBytes)), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        out += [UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)]
        out += Array(header.utf8)
        for i in 0..<book.count {
            let words = book.code(at: i).words
            for j in 0..<rowBytes { out.append(UInt8(truncatingIfNeeded: words[j / 8] >> UInt64(8 * (j % 8)))) }
        }
        return out
    }
}
