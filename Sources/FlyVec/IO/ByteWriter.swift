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
    /// The floats rounded to IEEE half precision, 2 bytes each (with the CPU's conversion where it
    /// has one: a value at a time in software took a second for a default model).
    mutating func halves(_ p: UnsafeBufferPointer<Float>) {
        // Narrowed into an aligned scratch kept from call to call (the payload's offset may be odd).
        if halfScratch.count < p.count { halfScratch = [UInt16](repeating: 0, count: p.count) }
        halfScratch.withUnsafeMutableBufferPointer { HalfPrecision.narrow(p.baseAddress!, count: p.count, into: $0.baseAddress!) }
        u16s(halfScratch[..<p.count])
    }
    private var halfScratch: [UInt16] = []
    mutating func u16s(_ p: some Collection<UInt16>) {
        #if _endian(little)
        if p.withContiguousStorageIfAvailable({ bytes.append(contentsOf: UnsafeRawBufferPointer($0)) }) != nil { return }
        #endif
        for v in p { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    }
}
