import CZstd
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A FlyVec file's payload decompressed on demand, in order, straight into the reader's memory.
///
/// A model's synapses are most of its file: read this way they exist once (not as the file's
/// mapped pages, a decompressed payload and the synapses), and a reader that keeps only part of
/// them (`ModelFile.SynapseLoading`) holds only that part.
final class PayloadStream {
    let file: String
    let kind: String
    /// The format version in the header.
    private(set) var version: UInt32 = 0
    /// Payload bytes read so far.
    private(set) var offset = 0
    /// Compressed bytes after the header: the most a payload can claim is a fixed multiple of them.
    let compressedSize: Int?
    private let decoder: ZstdDecoder
    private let fd: Int32
    /// In-memory input (`fd` is -1), kept alive here.
    private let bytes: [UInt8]
    private let buffer: UnsafeMutableRawBufferPointer
    private var input = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
    private var inputEnded = false

    /// zstd's largest ratio is about 32,000 (a 128 KB block of one byte repeated in 4 bytes):
    /// a claim beyond this many times the compressed bytes cannot be honest.
    static let largestRatio = 1 << 16
    /// Unexpected bytes after the payload are counted up to this many.
    static let countedTrailing = 1 << 20

    /// The payload of the file at `path` (a regular file or a pipe; `-` is standard input), after its
    /// header is checked.
    init(path: String, magic: [UInt8], versions: ClosedRange<UInt32>, kind: String) throws {
        let (fd, info) = try InputFile.openForStreaming(path)
        self.fd = fd
        bytes = []
        file = path
        self.kind = kind
        compressedSize = (info.st_mode & S_IFMT) == S_IFREG ? max(0, Int(info.st_size) - 16) : nil
        buffer = .allocate(byteCount: ByteSource.chunkSize, alignment: 64)
        do { decoder = try ZstdDecoder() } catch let e as ZstdError { close(fd); buffer.deallocate(); throw e.flyVecError.naming(path) }
        try start(magic: magic, versions: versions)
    }

    /// The payload of a whole file held in memory; `file` names it in errors.
    init(bytes: [UInt8], file: String, magic: [UInt8], versions: ClosedRange<UInt32>, kind: String) throws {
        fd = -1
        self.bytes = bytes
        self.file = file
        self.kind = kind
        compressedSize = max(0, bytes.count - 16)
        buffer = .allocate(byteCount: 16, alignment: 64)
        do { decoder = try ZstdDecoder() } catch let e as ZstdError { buffer.deallocate(); throw e.flyVecError.naming(file) }
        try start(magic: magic, versions: versions)
    }

    deinit {
        if fd >= 0 { close(fd) }
        buffer.deallocate()
    }

    private func start(magic: [UInt8], versions: ClosedRange<UInt32>) throws {
        var header = [UInt8]()
        if fd >= 0 {
            while try header.count < 16 && refill() {
                let take = min(16 - header.count, input.size - input.pos)
                header += UnsafeRawBufferPointer(start: input.src! + input.pos, count: take)
                input.pos += take
            }
        } else {
            header = Array(bytes.prefix(16))
            // The array is this stream's and never changes, so its storage stays where it is.
            bytes.withUnsafeBytes { input = ZSTD_inBuffer(src: $0.baseAddress, size: $0.count, pos: min(16, $0.count)) }
            inputEnded = true
        }
        version = try Envelope.checkHeader(header, magic: magic, versions: versions, kind: kind, file: file)
    }

    /// Reads more compressed input once the last is used up; false at the end of the file.
    /// - Throws: ``FlyVecError`` `cannotRead` when the read fails (a disk error is not damage).
    private func refill() throws -> Bool {
        if input.pos < input.size { return true }
        if inputEnded { return false }
        let n = try readRetrying(fd, into: buffer.baseAddress, count: buffer.count, file: file)
        if n == 0 { inputEnded = true; return false }
        input = ZSTD_inBuffer(src: buffer.baseAddress, size: n, pos: 0)
        return true
    }

    /// Decompresses the next `count` payload bytes into `into`.
    /// - Throws: ``FlyVecError`` `corrupt` naming `what` when the payload ends first or the
    ///   compressed bytes are damaged.
    func read(_ count: Int, into: UnsafeMutableRawPointer, _ what: String) throws {
        var output = ZSTD_outBuffer(dst: into, size: count, pos: 0)
        while output.pos < output.size {
            let more = try refill()
            let before = (input.pos, output.pos)
            do { try decoder.step(&input, &output) } catch let e as ZstdError {
                throw FlyVecError(.corrupt, "corrupt \(kind): compressed payload: \(e)", file: file, offset: offset + output.pos)
            }
            if !more && before == (input.pos, output.pos) {
                throw FlyVecError(.corrupt, "truncated or corrupt: \(what) needs \(count) bytes at payload byte \(offset), \(output.pos) left",
                                  file: file, offset: offset)
            }
        }
        offset += count
    }

    /// Hands `body` the rest of the payload as it decompresses, a piece at a time (each valid only
    /// during the call), so that a payload of any size is read in bounded memory; then checks that
    /// its frame is complete.
    /// - Throws: ``FlyVecError`` `corrupt` when the compressed bytes are damaged or end early.
    func forEachPiece(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let (decoded, consumed) = try drain { piece in
            try body(piece)
            return true
        }
        offset += decoded
        guard consumed else { throw FlyVecError(.corrupt, "corrupt \(kind): no compressed payload after the header", file: file) }
        try expectFrameEnd()
    }

    /// Checks that the payload ends here, its frame complete (zstd checks the content checksum
    /// at the frame's end).
    func expectEnd(_ what: String) throws {
        var trailing = 0
        _ = try drain { piece in
            trailing += piece.count
            // A crafted tail can expand 30,000-fold: counting stops at a megabyte.
            return trailing <= Self.countedTrailing
        }
        if trailing > 0 {
            let count = trailing > Self.countedTrailing ? "more than \(Self.countedTrailing)" : "\(trailing)"
            throw FlyVecError(.corrupt, "corrupt: \(count) unexpected bytes after \(what)", file: file, offset: offset)
        }
        try expectFrameEnd()
    }

    private func expectFrameEnd() throws {
        guard decoder.isAtFrameBoundary else {
            throw FlyVecError(.corrupt, "corrupt \(kind): compressed payload: zstd: truncated zstd stream", file: file)
        }
    }

    /// Decompresses what is left, handing `piece` each decoded piece until it returns false or the
    /// input ends; returns the bytes decoded and whether any compressed byte was read.
    private func drain(_ piece: (UnsafeRawBufferPointer) throws -> Bool) throws -> (decoded: Int, consumed: Bool) {
        var scratch = [UInt8](repeating: 0, count: 1 << 16), decoded = 0, consumed = false
        while true {
            let more = try refill()
            let before = input.pos
            let (produced, goOn) = try scratch.withUnsafeMutableBytes { s -> (Int, Bool) in
                var output = ZSTD_outBuffer(dst: s.baseAddress, size: s.count, pos: 0)
                do { try decoder.step(&input, &output) } catch let e as ZstdError {
                    throw FlyVecError(.corrupt, "corrupt \(kind): compressed payload: \(e)", file: file, offset: offset + decoded)
                }
                if output.pos == 0 { return (0, true) }
                return (output.pos, try piece(UnsafeRawBufferPointer(start: s.baseAddress, count: output.pos)))
            }
            decoded += produced
            consumed = consumed || input.pos > before
            if !goOn || (produced == 0 && input.pos == before && !more) { return (decoded, consumed) }
        }
    }
}
