import CZstd

/// An error from libzstd, with the library's own description.
public struct ZstdError: Error, CustomStringConvertible {
    public let description: String
    init(code: Int) {
        description = String(cString: ZSTD_getErrorName(code))
    }
}

@inline(__always)
func zstdCheck(_ code: Int) throws -> Int {
    if ZSTD_isError(code) != 0 { throw ZstdError(code: code) }
    return code
}

/// True when `bytes` start with the zstd frame magic number (0xFD2FB528, little endian).
public func looksLikeZstd(_ bytes: UnsafeRawBufferPointer) -> Bool {
    bytes.count >= 4 && bytes[0] == 0x28 && bytes[1] == 0xB5 && bytes[2] == 0x2F && bytes[3] == 0xFD
}

/// Streaming zstd decompression: feed compressed chunks, receive plain chunks.
///
/// Multi-frame input is decoded frame after frame. `finish()` reports a stream that ended
/// inside a frame (a truncated file).
final class ZstdDecoder {
    private let stream: OpaquePointer
    private var output: UnsafeMutableRawBufferPointer
    private var insideFrame = false

    init() {
        stream = ZSTD_createDStream()
        ZSTD_initDStream(stream)
        output = .allocate(byteCount: ZSTD_DStreamOutSize(), alignment: 64)
    }

    deinit {
        ZSTD_freeDStream(stream)
        output.deallocate()
    }

    /// Decodes `input` whole, handing each decoded piece to `sink` (valid only during the call).
    func decode(_ input: UnsafeRawBufferPointer, sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        var inBuf = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        while true {
            var outBuf = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
            let hint = try zstdCheck(ZSTD_decompressStream(stream, &outBuf, &inBuf))
            insideFrame = hint != 0
            if outBuf.pos > 0 { try sink(UnsafeRawBufferPointer(start: output.baseAddress, count: outBuf.pos)) }
            // Done with this input once it is consumed and the output buffer was not filled.
            if inBuf.pos == inBuf.size && outBuf.pos < outBuf.size { break }
        }
    }

    /// Whether the input so far ended exactly at a frame boundary.
    var isAtFrameBoundary: Bool { !insideFrame }
}

/// One-shot zstd helpers for whole payloads (content checksum on).
public enum Zstd {
    public static func compress(_ data: [UInt8], level: Int32 = 3) throws -> [UInt8] {
        let ctx = ZSTD_createCCtx()!
        defer { ZSTD_freeCCtx(ctx) }
        _ = try zstdCheck(ZSTD_CCtx_setParameter(ctx, ZSTD_c_compressionLevel, level))
        _ = try zstdCheck(ZSTD_CCtx_setParameter(ctx, ZSTD_c_checksumFlag, 1))
        _ = try zstdCheck(ZSTD_CCtx_setParameter(ctx, ZSTD_c_nbWorkers, 0))
        var out = [UInt8](repeating: 0, count: ZSTD_compressBound(data.count))
        let n = try out.withUnsafeMutableBytes { o in
            try data.withUnsafeBytes { i in
                try zstdCheck(ZSTD_compress2(ctx, o.baseAddress, o.count, i.baseAddress, i.count))
            }
        }
        out.removeSubrange(n...)
        return out
    }

    /// Decompresses a whole buffer of one or more frames; fails on truncation or corruption.
    public static func decompress(_ data: UnsafeRawBufferPointer, limit: Int = 1 << 36) throws -> [UInt8] {
        let decoder = ZstdDecoder()
        var out: [UInt8] = []
        try decoder.decode(data) { piece in
            if out.count + piece.count > limit { throw ZstdError(description: "decompressed size over limit") }
            out.append(contentsOf: piece)
        }
        if !decoder.isAtFrameBoundary { throw ZstdError(description: "truncated zstd stream") }
        return out
    }
}

extension ZstdError {
    init(description: String) { self.description = description }
}

/// Streaming zstd compression (one frame, content checksum on) handing compressed pieces to a sink.
final class ZstdEncoder {
    private let ctx: OpaquePointer
    private var output: UnsafeMutableRawBufferPointer
    private let sink: (UnsafeRawBufferPointer) throws -> Void

    init(level: Int32 = 3, sink: @escaping (UnsafeRawBufferPointer) throws -> Void) throws {
        ctx = ZSTD_createCCtx()
        output = .allocate(byteCount: ZSTD_CStreamOutSize(), alignment: 64)
        self.sink = sink
        _ = try zstdCheck(ZSTD_CCtx_setParameter(ctx, ZSTD_c_compressionLevel, level))
        _ = try zstdCheck(ZSTD_CCtx_setParameter(ctx, ZSTD_c_checksumFlag, 1))
    }

    deinit {
        ZSTD_freeCCtx(ctx)
        output.deallocate()
    }

    func write(_ input: UnsafeRawBufferPointer) throws { try run(input, ZSTD_e_continue) }

    /// Ends the frame.
    func finish() throws { try run(UnsafeRawBufferPointer(start: nil, count: 0), ZSTD_e_end) }

    private func run(_ input: UnsafeRawBufferPointer, _ mode: ZSTD_EndDirective) throws {
        var inBuf = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        while true {
            var outBuf = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
            let remaining = try zstdCheck(ZSTD_compressStream2(ctx, &outBuf, &inBuf, mode))
            if outBuf.pos > 0 { try sink(UnsafeRawBufferPointer(start: output.baseAddress, count: outBuf.pos)) }
            let done = mode == ZSTD_e_end ? remaining == 0 : inBuf.pos == inBuf.size
            if done { break }
        }
    }
}
