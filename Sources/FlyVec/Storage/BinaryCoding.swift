import Foundation

/// Little-endian encoding of the file formats' fields. With a `drain`, the bytes are handed on
/// whenever a megabyte has gathered, so a large payload is never held whole.
struct ByteWriter {
    var bytes: [UInt8] = []
    var drain: (([UInt8]) throws -> Void)?

    init(drain: (([UInt8]) throws -> Void)? = nil) { self.drain = drain }

    /// Hands the gathered bytes to `drain` (when there is one) once there are enough of them.
    mutating func flush(force: Bool = false) throws {
        guard let drain, force || bytes.count >= 1 << 20 else { return }
        try drain(bytes)
        bytes.removeAll(keepingCapacity: true)
    }

    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    /// A length-prefixed (u64) byte string.
    mutating func blob(_ b: some Collection<UInt8>) {
        u64(UInt64(b.count))
        bytes.append(contentsOf: b)
    }
    mutating func raw(_ b: some Collection<UInt8>) { bytes.append(contentsOf: b) }
    /// A length-prefixed JSON header, keys sorted: the default key order changes from run to run,
    /// and the same content should give the same file.
    mutating func json(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        blob(try encoder.encode(value))
    }
    mutating func floats(_ p: UnsafeBufferPointer<Float>) {
        // Little-endian hosts only (x86-64, arm64): the bytes are the floats.
        bytes.append(contentsOf: UnsafeRawBufferPointer(p))
    }
    /// The floats rounded to IEEE half precision, 2 bytes each.
    mutating func halves(_ p: UnsafeBufferPointer<Float>) {
        for x in p { withUnsafeBytes(of: Float16(x).bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
    }
    mutating func u16s(_ p: some Collection<UInt16>) {
        for v in p { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    }
}

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
            throw FlyVecError.file(file, "truncated or corrupt: \(what) needs \(n) bytes at payload byte \(offset), \(max(0, bytes.count - offset)) left")
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
        guard n <= UInt64(limit) else { throw FlyVecError.file(file, "corrupt: \(what) claims \(n) bytes") }
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
        guard let s = String(validating: b, as: UTF8.self) else { throw FlyVecError.file(file, "corrupt: \(what) is not UTF-8") }
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
            throw FlyVecError.file(file, "corrupt: \(bytes.count - offset) unexpected bytes after \(what)")
        }
    }
}

/// The shared envelope of FlyVec files: an 8-byte magic, a u32 format version, a u32 of zero,
/// then one zstd frame (content checksum on) holding the payload.
enum Envelope {
    /// Writes the file atomically; `body` fills the payload through a draining `ByteWriter`,
    /// compressed at zstd `level` (negative levels are zstd's fast modes).
    static func write(to path: String, magic: [UInt8], version: UInt32, level: Int32,
                      _ body: (inout ByteWriter) throws -> Void) throws {
        try AtomicFile.write(to: path) { out in
            var header = ByteWriter()
            header.bytes = magic
            header.u32(version)
            header.u32(0)
            try header.bytes.withUnsafeBytes { try out($0) }
            try withoutActuallyEscaping(out) { out in
                let encoder = try ZstdEncoder(level: level, sink: out)
                var payload = ByteWriter(drain: { chunk in try chunk.withUnsafeBytes { try encoder.write($0) } })
                try body(&payload)
                try payload.flush(force: true)
                try encoder.finish()
            }
        }
    }

    /// The format version in a file's header (the u32 after the magic), if the bytes hold one.
    static func version(of bytes: [UInt8]) -> UInt32? {
        guard bytes.count >= 12 else { return nil }
        var r = ByteReader(Array(bytes[8..<12]), file: "")
        return try? r.u32("version")
    }

    /// The payload of a file whose format version is in `versions`, and that version.
    static func unwrap(_ bytes: [UInt8], magic: [UInt8], versions: ClosedRange<UInt32>, kind: String,
                       file: String) throws -> (payload: [UInt8], version: UInt32) {
        guard bytes.count >= 16 else { throw FlyVecError.file(file, "too short to be a \(kind) (\(bytes.count) bytes)") }
        guard Array(bytes[0..<8]) == magic else { throw FlyVecError.file(file, "not a \(kind) (wrong magic bytes)") }
        let v = version(of: bytes)!
        guard versions.contains(v) else {
            let known = versions.count == 1 ? "version \(versions.lowerBound)" : "versions \(versions.lowerBound)–\(versions.upperBound)"
            throw FlyVecError.file(file, "\(kind) format version \(v); this FlyVec reads \(known)")
        }
        var r = ByteReader(Array(bytes[12..<16]), file: file)
        guard try r.u32("reserved") == 0 else { throw FlyVecError.file(file, "corrupt \(kind): reserved header bytes are not zero") }
        do {
            return (try bytes.withUnsafeBytes { try Zstd.decompress(UnsafeRawBufferPointer(rebasing: $0[16...])) }, v)
        } catch let e as ZstdError {
            throw FlyVecError.file(file, "corrupt \(kind): compressed payload: \(e)")
        }
    }
}
