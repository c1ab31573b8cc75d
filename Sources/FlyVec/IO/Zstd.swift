import CZstd

@inline(__always)
func zstdCheck(_ code: Int) throws -> Int {
    if ZSTD_isError(code) != 0 { throw ZstdError(code: code) }
    return code
}


/// One-shot zstd helpers for whole payloads (content checksum on).
public enum Zstd {
    /// True when `bytes` start with the zstd frame magic number (0xFD2FB528, little endian).
    public static func startsFrame(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 4 && bytes[0] == 0x28 && bytes[1] == 0xB5 && bytes[2] == 0x2F && bytes[3] == 0xFD
    }

    /// Compresses `data` into one zstd frame with a content checksum, at zstd `level` (default 3;
    /// negative levels are the fast modes), single-threaded.
    /// - Throws: ``FlyVecError`` when libzstd fails.
    public static func compress(_ data: [UInt8], level: Int32 = 3) throws -> [UInt8] {
        do { return try compressing(data, level: level) } catch let e as ZstdError { throw e.flyVecError }
    }

    private static func compressing(_ data: [UInt8], level: Int32) throws -> [UInt8] {
        guard let ctx = ZSTD_createCCtx() else { throw ZstdError(description: "out of memory for a zstd context", outOfMemory: true) }
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

    /// Decompresses a whole buffer of one or more frames.
    /// - Throws: ``FlyVecError`` `corrupt` on truncation or corruption (or output over `limit`).
    public static func decompress(_ data: UnsafeRawBufferPointer, limit: Int = 1 << 36) throws -> [UInt8] {
        try decompressPayload(data, limit: limit).withBytes { Array($0) }
    }

    /// Decompresses into page memory, in room for the frame's size when its header gives it, else
    /// for a little more than `data` (FlyVec's model files hardly compress).
    static func decompressPayload(_ data: UnsafeRawBufferPointer, limit: Int = 1 << 36) throws -> PayloadBuffer {
        do {
            let decoder = try ZstdDecoder()
            let known = data.count >= 4 ? ZSTD_getFrameContentSize(data.baseAddress, data.count) : ZSTD_CONTENTSIZE_UNKNOWN
            let out = try PayloadBuffer(capacity: known < UInt64(limit) ? Int(known) : min(limit, data.count + data.count / 8))
            try decoder.decode(data, into: out, limit: limit)
            if !decoder.isAtFrameBoundary { throw ZstdError(description: "truncated zstd stream") }
            return out
        } catch let e as ZstdError { throw e.flyVecError }
    }
}
