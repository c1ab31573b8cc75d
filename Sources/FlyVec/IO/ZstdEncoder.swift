import CZstd

/// Streaming zstd compression (one frame, content checksum on) handing compressed pieces to a sink.
final class ZstdEncoder {
    private let ctx: OpaquePointer
    private var output: UnsafeMutableRawBufferPointer
    private let sink: (UnsafeRawBufferPointer) throws -> Void

    /// With `background` the compression runs on a zstd worker thread while the caller produces
    /// the next input, where libzstd was built with threads (else on the caller's thread). The
    /// frame then differs from a single-threaded one, but decompresses to the same bytes.
    init(level: Int32 = 3, background: Bool = false, sink: @escaping (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let ctx = ZSTD_createCCtx() else { throw ZstdError(description: "out of memory for a zstd context", outOfMemory: true) }
        self.ctx = ctx
        output = .allocate(byteCount: ZSTD_CStreamOutSize(), alignment: 64)
        self.sink = sink
        _ = try zstdCheck(ZSTD_CCtx_setParameter(ctx, ZSTD_c_compressionLevel, level))
        _ = try zstdCheck(ZSTD_CCtx_setParameter(ctx, ZSTD_c_checksumFlag, 1))
        // A libzstd built without threads refuses workers; the frame is valid either way.
        if background { _ = ZSTD_CCtx_setParameter(ctx, ZSTD_c_nbWorkers, 1) }
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
