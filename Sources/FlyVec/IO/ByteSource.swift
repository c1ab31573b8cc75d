import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams the plain bytes of one input — a file or `-` for standard input — in bounded chunks.
///
/// zstd input is recognised by its magic bytes, never by the name, and decoded through libzstd's
/// streaming API (multi-frame files included). Nothing is ever held whole.
public struct ByteSource: Sendable {
    /// The input's path; `-` is standard input.
    public let path: String
    /// 1 MiB: the bytes asked of each read, and the least size of every chunk `forEachChunk(_:)`
    /// passes on but the last.
    public static let chunkSize = 1 << 20

    /// A source for `path` (`-`: standard input); nothing is opened until it is read.
    public init(path: String) { self.path = path }

    /// Calls `body` with each chunk of plain bytes, in order. Throws `FlyVecError` naming the file.
    ///
    /// Reading and zstd decoding run on a second thread, a few megabytes ahead of `body`.
    public func forEachChunk(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        try pipeline(depth: 4, produce: { [self] put in
            var pending: [UInt8] = []
            pending.reserveCapacity(Self.chunkSize)
            try produce { piece in
                pending.append(contentsOf: piece)
                if pending.count >= Self.chunkSize {
                    try put(pending)
                    pending = []
                    pending.reserveCapacity(Self.chunkSize)
                }
            }
            if !pending.isEmpty { try put(pending) }
        }, consume: { chunk in try chunk.withUnsafeBytes { try body($0) } })
    }

    /// The plain bytes of `paths` when every one is a regular file that is not zstd (whose plain
    /// size is unknown before decoding); nil otherwise. For progress percentages.
    public static func plainSize(of paths: [String]) -> Int? {
        var total = 0
        for path in paths {
            var info = stat()
            guard path != "-", stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else { return nil }
            var head = [UInt8](repeating: 0, count: 4)
            let got = head.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, 4) }
            close(fd)
            if got == 4 && head.withUnsafeBytes({ Zstd.startsFrame($0) }) { return nil }
            total += Int(info.st_size)
        }
        return total
    }

    /// Reads and decodes the input on the calling thread.
    public func produce(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let fd: Int32
        if path == "-" {
            fd = 0
        } else {
            fd = open(path, O_RDONLY)
            if fd < 0 { throw FlyVecError(.cannotRead, "cannot open: \(String(cString: strerror(errno)))", file: path) }
        }
        defer { if fd != 0 { close(fd) } }
        var info = stat()
        if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            throw FlyVecError(.cannotRead, "is a directory, not a corpus file", file: path)
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 64)
        defer { buffer.deallocate() }
        var decoder: ZstdDecoder?
        var offset = 0  // bytes of the file consumed so far
        var first = true
        while true {
            // The first chunk is at least 4 bytes (unless the input is shorter) so the magic is seen
            // even when a pipe delivers the input in tiny pieces.
            var n = 0
            while true {
                let got = read(fd, buffer.baseAddress! + n, buffer.count - n)
                if got < 0 {
                    if errno == EINTR { continue }
                    throw FlyVecError(.cannotRead, "read failed: \(String(cString: strerror(errno)))", file: path, offset: offset + n, position: "byte \(offset + n)")
                }
                n += got
                if got == 0 || !first || n >= 4 { break }
            }
            if n == 0 { break }
            let chunk = UnsafeRawBufferPointer(start: buffer.baseAddress, count: n)
            if first {
                first = false
                if Zstd.startsFrame(chunk) {
                    do { decoder = try ZstdDecoder() } catch let e as ZstdError { throw e.flyVecError.naming(path) }
                }
            }
            if let decoder {
                do {
                    try decoder.decode(chunk, sink: body)
                } catch let error as ZstdError {
                    throw FlyVecError(.corrupt, "corrupt zstd data (\(error))", file: path, offset: offset,
                                      position: "compressed byte \(offset)–\(offset + n)")
                }
            } else {
                try body(chunk)
            }
            offset += n
        }
        if let decoder, !decoder.isAtFrameBoundary {
            throw FlyVecError(.corrupt, "zstd stream ends inside a frame (truncated file?)", file: path, offset: offset,
                              position: "compressed byte \(offset)")
        }
    }
}
