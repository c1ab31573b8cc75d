import Foundation

/// The shared envelope of FlyVec files: an 8-byte magic, a u32 format version, a u32 of zero,
/// then one zstd frame (content checksum on) holding the payload.
enum Envelope {
    /// Writes the file atomically; `body` fills the payload through a draining `ByteWriter`,
    /// compressed at zstd `level` (negative levels are zstd's fast modes).
    static func write(to path: String, magic: [UInt8], version: UInt32, level: Int32, background: Bool = false,
                      _ body: (inout ByteWriter) throws -> Void) throws {
        try AtomicFile.write(to: path) { out in
            var header = ByteWriter()
            header.bytes = magic
            header.u32(version)
            header.u32(0)
            try header.bytes.withUnsafeBytes { try out($0) }
            try withoutActuallyEscaping(out) { out in
                let encoder = try ZstdEncoder(level: level, background: background, sink: out)
                var payload = ByteWriter(drain: { chunk in try chunk.withUnsafeBytes { try encoder.write($0) } })
                try body(&payload)
                try payload.flush(force: true)
                try encoder.finish()
            }
        }
    }

    /// The format version in a file's header (the u32 after the magic), if the bytes hold one.
    static func version(of bytes: [UInt8]) -> UInt32? { bytes.withUnsafeBytes { version(of: $0) } }

    static func version(of bytes: UnsafeRawBufferPointer) -> UInt32? {
        bytes.count >= 12 ? UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self)) : nil
    }

    /// The payload of a file whose format version is in `versions`, and that version.
    static func unwrap(_ bytes: [UInt8], magic: [UInt8], versions: ClosedRange<UInt32>, kind: String,
                       file: String) throws -> (payload: PayloadBuffer, version: UInt32) {
        try bytes.withUnsafeBytes { try unwrap($0, magic: magic, versions: versions, kind: kind, file: file) }
    }

    static func unwrap(_ bytes: UnsafeRawBufferPointer, magic: [UInt8], versions: ClosedRange<UInt32>, kind: String,
                       file: String) throws -> (payload: PayloadBuffer, version: UInt32) {
        let v = try checkHeader(bytes, magic: magic, versions: versions, kind: kind, file: file)
        do {
            return (try Zstd.decompressPayload(UnsafeRawBufferPointer(rebasing: bytes[16...])), v)
        } catch let e as FlyVecError {
            throw FlyVecError(e.kind, "corrupt \(kind): compressed payload: \(e.reason)", file: file)
        }
    }

    /// The format version of a file starting with `bytes`, after checking its 16-byte header.
    static func checkHeader(_ bytes: [UInt8], magic: [UInt8], versions: ClosedRange<UInt32>, kind: String,
                                    file: String) throws -> UInt32 {
        try bytes.withUnsafeBytes { try checkHeader($0, magic: magic, versions: versions, kind: kind, file: file) }
    }

    private static func checkHeader(_ bytes: UnsafeRawBufferPointer, magic: [UInt8], versions: ClosedRange<UInt32>, kind: String,
                                    file: String) throws -> UInt32 {
        guard bytes.count >= 16 else { throw FlyVecError(.corrupt, "too short to be a \(kind) (\(bytes.count) bytes)", file: file) }
        guard bytes.prefix(8).elementsEqual(magic) else { throw FlyVecError(.wrongFileKind, "not a \(kind) (wrong magic bytes)", file: file) }
        let v = version(of: bytes)!
        guard versions.contains(v) else {
            let known = versions.count == 1 ? "version \(versions.lowerBound)" : "versions \(versions.lowerBound)–\(versions.upperBound)"
            throw FlyVecError(.unsupportedVersion, "\(kind) format version \(v); this FlyVec reads \(known)", file: file)
        }
        guard bytes.loadUnaligned(fromByteOffset: 12, as: UInt32.self) == 0 else {
            throw FlyVecError(.corrupt, "corrupt \(kind): reserved header bytes are not zero", file: file)
        }
        return v
    }
}
