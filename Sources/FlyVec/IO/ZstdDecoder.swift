import CZstd

/// Streaming zstd decompression: feed compressed chunks, receive plain chunks.
///
/// Multi-frame input is decoded frame after frame. `finish()` reports a stream that ended
/// inside a frame (a truncated file).
final class ZstdDecoder {
    private let stream: OpaquePointer
    private var output: UnsafeMutableRawBufferPointer
    private var insideFrame = false

    /// - Throws: ``ZstdError`` when zstd cannot allocate its stream.
    init() throws {
        guard let stream = ZSTD_createDStream() else { throw ZstdError(description: "out of memory for a zstd stream", outOfMemory: true) }
        self.stream = stream
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
            try step(&inBuf, &outBuf)
            if outBuf.pos > 0 { try sink(UnsafeRawBufferPointer(start: output.baseAddress, count: outBuf.pos)) }
            // Done with this input once it is consumed and the output buffer was not filled.
            if inBuf.pos == inBuf.size && outBuf.pos < outBuf.size { break }
        }
    }

    /// Decodes `input` whole straight into `buffer`, growing it as needed up to `limit` bytes.
    func decode(_ input: UnsafeRawBufferPointer, into buffer: PayloadBuffer, limit: Int) throws {
        var inBuf = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        while true {
            try buffer.reserve(ZSTD_DStreamOutSize())
            var outBuf = ZSTD_outBuffer(dst: buffer.base + buffer.count, size: buffer.capacity - buffer.count, pos: 0)
            try step(&inBuf, &outBuf)
            buffer.count += outBuf.pos
            if buffer.count > limit { throw ZstdError(description: "decompressed size over limit") }
            if inBuf.pos == inBuf.size && outBuf.pos < outBuf.size { break }
        }
    }

    /// One call of the decoder. A call that neither reads nor writes a byte says nothing about
    /// the frame: after an output buffer filled exactly at a frame's end, the next call would
    /// report a frame header to come, not a truncated frame.
    func step(_ inBuf: inout ZSTD_inBuffer, _ outBuf: inout ZSTD_outBuffer) throws {
        let before = inBuf.pos
        let hint = try zstdCheck(ZSTD_decompressStream(stream, &outBuf, &inBuf))
        if inBuf.pos > before || outBuf.pos > 0 { insideFrame = hint != 0 }
    }

    /// Whether the input so far ended exactly at a frame boundary.
    var isAtFrameBoundary: Bool { !insideFrame }
}
