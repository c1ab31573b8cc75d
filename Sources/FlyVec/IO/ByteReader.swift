/// Bounds-checked reading; every failure names the section and the byte offset in the payload.
struct ByteReader {
    /// Keeps `bytes` alive.
    private let owner: PayloadBuffer
    let bytes: UnsafeRawBufferPointer
    let file: String
    var offset = 0

    init(_ payload: PayloadBuffer, file: String) {
        owner = payload
        bytes = payload.bytes
        self.file = file
    }

    private func need(_ n: Int, _ what: String) throws {
        guard n >= 0, offset <= bytes.count, bytes.count - offset >= n else {
            throw FlyVecError(.corrupt, "truncated or corrupt: \(what) needs \(n) bytes at payload byte \(offset), \(max(0, bytes.count - offset)) left", file: file, offset: offset)
        }
    }

    /// Bytes not yet read.
    var remaining: Int { bytes.count - offset }

    mutating func u32(_ what: String) throws -> UInt32 {
        try need(4, what)
        defer { offset += 4 }
        return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    mutating func u64(_ what: String) throws -> UInt64 {
        try need(8, what)
        defer { offset += 8 }
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    mutating func blob(_ what: String, limit: Int = 1 << 40) throws -> ArraySlice<UInt8> {
        let n = try u64("length of \(what)")
        guard n <= UInt64(limit) else { throw FlyVecError(.corrupt, "corrupt: \(what) claims \(n) bytes", file: file, offset: offset) }
        return try raw(Int(n), what)
    }

    /// The next `n` bytes.
    mutating func raw(_ n: Int, _ what: String) throws -> ArraySlice<UInt8> {
        try need(n, what)
        defer { offset += n }
        return Array(bytes[offset..<(offset + n)])[...]
    }

    mutating func string(_ what: String) throws -> String {
        let b = try blob(what)
        guard let s = String(validating: b, as: UTF8.self) else { throw FlyVecError(.corrupt, "corrupt: \(what) is not UTF-8", file: file) }
        return s
    }

    /// Copies the next `byteCount` bytes into `into`.
    mutating func copy(_ byteCount: Int, into: UnsafeMutableRawPointer, _ what: String) throws {
        try need(byteCount, what)
        into.copyMemory(from: bytes.baseAddress! + offset, byteCount: byteCount)
        offset += byteCount
    }

    /// Copies `count` floats into `into`.
    mutating func floats(_ count: Int, into: UnsafeMutablePointer<Float>, _ what: String) throws {
        try copy(count * 4, into: into, what)
    }

    /// Reads `count` half-precision values into `into` as floats.
    mutating func halves(_ count: Int, into: UnsafeMutablePointer<Float>, _ what: String) throws {
        try need(count * 2, what)
        // Little-endian files on little-endian hosts: the bit patterns are read as they lie.
        HalfPrecision.widen((bytes.baseAddress! + offset).assumingMemoryBound(to: UInt16.self), count: count, into: into)
        offset += count * 2
    }

    mutating func u16s(_ count: Int, _ what: String) throws -> [UInt16] {
        try need(count * 2, what)
        defer { offset += count * 2 }
        return (0..<count).map { UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 2 * $0, as: UInt16.self)) }
    }

    func expectEnd(_ what: String) throws {
        guard offset == bytes.count else {
            throw FlyVecError(.corrupt, "corrupt: \(bytes.count - offset) unexpected bytes after \(what)", file: file, offset: offset)
        }
    }
}
