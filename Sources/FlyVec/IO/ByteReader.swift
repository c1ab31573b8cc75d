/// Bounds-checked reading; every failure names the section and the byte offset in the payload.
struct ByteReader {
    let bytes: [UInt8]
    let file: String
    var offset = 0

    init(_ bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    private func need(_ n: Int, _ what: String) throws {
        guard n >= 0, offset <= bytes.count, bytes.count - offset >= n else {
            throw FlyVecError(.corrupt, "truncated or corrupt: \(what) needs \(n) bytes at payload byte \(offset), \(max(0, bytes.count - offset)) left", file: file, offset: offset)
        }
    }

    mutating func u32(_ what: String) throws -> UInt32 {
        try need(4, what)
        let v = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self) }
        offset += 4
        return UInt32(littleEndian: v)
    }

    mutating func u64(_ what: String) throws -> UInt64 {
        try need(8, what)
        let v = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self) }
        offset += 8
        return UInt64(littleEndian: v)
    }

    mutating func blob(_ what: String, limit: Int = 1 << 40) throws -> ArraySlice<UInt8> {
        let n = try u64("length of \(what)")
        guard n <= UInt64(limit) else { throw FlyVecError(.corrupt, "corrupt: \(what) claims \(n) bytes", file: file, offset: offset) }
        try need(Int(n), what)
        defer { offset += Int(n) }
        return bytes[offset..<(offset + Int(n))]
    }

    /// The next `n` bytes.
    mutating func raw(_ n: Int, _ what: String) throws -> ArraySlice<UInt8> {
        try need(n, what)
        defer { offset += n }
        return bytes[offset..<(offset + n)]
    }

    mutating func string(_ what: String) throws -> String {
        let b = try blob(what)
        guard let s = String(validating: b, as: UTF8.self) else { throw FlyVecError(.corrupt, "corrupt: \(what) is not UTF-8", file: file) }
        return s
    }

    /// Copies `count` floats into `into`.
    mutating func floats(_ count: Int, into: UnsafeMutablePointer<Float>, _ what: String) throws {
        try need(count * 4, what)
        bytes.withUnsafeBytes { raw in
            UnsafeMutableRawPointer(into).copyMemory(from: raw.baseAddress! + offset, byteCount: count * 4)
        }
        offset += count * 4
    }

    /// Reads `count` half-precision values into `into` as floats.
    mutating func halves(_ count: Int, into: UnsafeMutablePointer<Float>, _ what: String) throws {
        try need(count * 2, what)
        HalfPrecision.floats.withUnsafeBufferPointer { table in
            bytes.withUnsafeBytes { raw in
                for i in 0..<count {
                    into[i] = table[Int(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 2 * i, as: UInt16.self)))]
                }
            }
        }
        offset += count * 2
    }

    mutating func u16s(_ count: Int, _ what: String) throws -> [UInt16] {
        try need(count * 2, what)
        let v = bytes.withUnsafeBytes { raw in
            (0..<count).map { UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 2 * $0, as: UInt16.self)) }
        }
        offset += count * 2
        return v
    }

    func expectEnd(_ what: String) throws {
        guard offset == bytes.count else {
            throw FlyVecError(.corrupt, "corrupt: \(bytes.count - offset) unexpected bytes after \(what)", file: file, offset: offset)
        }
    }
}
