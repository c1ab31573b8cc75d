/// Bounds-checked reading of a payload, either held whole in memory or decompressed as it is read
/// (`PayloadStream`); every failure names the section and the byte offset in the payload.
struct ByteReader {
    /// Keeps `bytes` alive (whole payloads).
    private let owner: PayloadBuffer?
    private let bytes: UnsafeRawBufferPointer
    /// Streamed payloads.
    private let stream: PayloadStream?
    let file: String
    private var held = 0

    init(_ payload: PayloadBuffer, file: String) {
        owner = payload
        bytes = payload.bytes
        stream = nil
        self.file = file
    }

    init(_ stream: PayloadStream) {
        owner = nil
        bytes = UnsafeRawBufferPointer(start: nil, count: 0)
        self.stream = stream
        file = stream.file
    }

    /// Payload bytes read so far.
    var offset: Int { stream?.offset ?? held }

    /// The most payload bytes the rest of the input can hold: a check before a claimed size is
    /// allocated, so that a small corrupt file cannot claim gigabytes.
    var mostRemaining: Int {
        guard let stream else { return bytes.count - held }
        guard let compressed = stream.compressedSize else { return .max }
        return compressed.multipliedReportingOverflow(by: PayloadStream.largestRatio).overflow
            ? .max : compressed * PayloadStream.largestRatio
    }

    private func need(_ n: Int, _ what: String) throws {
        guard n >= 0, held <= bytes.count, bytes.count - held >= n else {
            throw FlyVecError(.corrupt, "truncated or corrupt: \(what) needs \(n) bytes at payload byte \(held), \(max(0, bytes.count - held)) left", file: file, offset: held)
        }
    }

    /// Copies the next `byteCount` bytes into `into`.
    mutating func copy(_ byteCount: Int, into: UnsafeMutableRawPointer, _ what: String) throws {
        if let stream { return try stream.read(byteCount, into: into, what) }
        try need(byteCount, what)
        into.copyMemory(from: bytes.baseAddress! + held, byteCount: byteCount)
        held += byteCount
    }

    mutating func u32(_ what: String) throws -> UInt32 {
        var v: UInt32 = 0
        try copy(4, into: &v, what)
        return UInt32(littleEndian: v)
    }

    mutating func u64(_ what: String) throws -> UInt64 {
        var v: UInt64 = 0
        try copy(8, into: &v, what)
        return UInt64(littleEndian: v)
    }

    mutating func blob(_ what: String, limit: Int = 1 << 40) throws -> ArraySlice<UInt8> {
        let n = try u64("length of \(what)")
        guard n <= UInt64(limit) else { throw FlyVecError(.corrupt, "corrupt: \(what) claims \(n) bytes", file: file, offset: offset) }
        return try raw(Int(n), what)
    }

    /// The next `n` bytes.
    mutating func raw(_ n: Int, _ what: String) throws -> ArraySlice<UInt8> {
        guard stream != nil else {
            try need(n, what)
            defer { held += n }
            return Array(bytes[held..<(held + n)])[...]
        }
        // A piece at a time: a damaged length then fails where the payload ends, not in allocating it.
        var out: [UInt8] = [], left = n
        while left > 0 {
            let piece = min(left, 1 << 20), at = out.count
            out += repeatElement(0, count: piece)
            try out.withUnsafeMutableBytes { try copy(piece, into: $0.baseAddress! + at, what) }
            left -= piece
        }
        return out[...]
    }

    mutating func string(_ what: String) throws -> String {
        let b = try blob(what)
        guard let s = String(validating: b, as: UTF8.self) else { throw FlyVecError(.corrupt, "corrupt: \(what) is not UTF-8", file: file) }
        return s
    }

    /// Copies `count` floats into `into`.
    mutating func floats(_ count: Int, into: UnsafeMutablePointer<Float>, _ what: String) throws {
        try copy(count * 4, into: into, what)
    }

    mutating func u16s(_ count: Int, _ what: String) throws -> [UInt16] {
        if stream == nil { try need(count * 2, what) }
        var out = [UInt16](repeating: 0, count: count)
        try out.withUnsafeMutableBytes { try copy($0.count, into: $0.baseAddress!, what) }
        #if _endian(big)
        out = out.map { UInt16(littleEndian: $0) }
        #endif
        return out
    }

    func expectEnd(_ what: String) throws {
        if let stream { return try stream.expectEnd(what) }
        guard held == bytes.count else {
            throw FlyVecError(.corrupt, "corrupt: \(bytes.count - held) unexpected bytes after \(what)", file: file, offset: held)
        }
    }
}
