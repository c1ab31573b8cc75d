import CFlyVecSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files so a reader sees either the old file or the complete new one, never a partial one:
/// the bytes go to a temporary name in the same folder, are synced, then renamed into place.
public enum AtomicFile {
    /// Writes `bytes` to `path` atomically.
    /// - Throws: ``FlyVecError`` `cannotWrite` when the temporary file cannot be written, synced or renamed.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        try write(to: path) { out in try bytes.withUnsafeBytes { try out($0) } }
    }

    /// Streams a file into place: `body` gets a function that appends bytes to the temporary file.
    public static func write(to path: String, _ body: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        let temporary = "\(path).tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw FlyVecError(.cannotWrite, "cannot write: \(String(cString: strerror(errno)))", file: path) }
        func fail(_ why: String) -> FlyVecError {
            close(fd)
            unlink(temporary)
            return FlyVecError(.cannotWrite, "cannot write: \(why)", file: path)
        }
        // The sink's writer thread, if it started, is stopped (by `finish`, or by the deferred
        // `stop` when the body fails) before the file is closed.
        do {
            let sink = FileSink(fd: fd, path: path)
            defer { sink.stop() }
            try body { raw in try sink.append(raw) }
            try sink.finish()
        } catch let e as FlyVecError {
            // The body's own failure (reading an input, a full disk) keeps its kind and file.
            _ = fail("")
            throw e
        } catch {
            throw fail("\(error)")
        }
        if fsync(fd) != 0 { throw fail(String(cString: strerror(errno))) }
        close(fd)
        if rename(temporary, path) != 0 {
            let why = String(cString: strerror(errno))
            unlink(temporary)
            throw FlyVecError(.cannotWrite, "cannot write: \(why)", file: path)
        }
    }

    /// Reads a whole file.
    public static func read(_ path: String) throws -> [UInt8] {
        let (fd, info) = try InputFile.openForReading(path)
        defer { close(fd) }
        return try readAll(fd, size: Int(info.st_size), file: path)
    }

    /// Reads `fd` to its end; `size` is what its status said (0 for a pipe).
    static func readAll(_ fd: Int32, size: Int, file path: String) throws -> [UInt8] {
        // Read straight into an array of the file's size; one that grows meanwhile is read on.
        var out = [UInt8](repeating: 0, count: max(0, size))
        var filled = 0
        while true {
            if filled == out.count { out += [UInt8](repeating: 0, count: max(1 << 20, out.count / 2)) }
            let n = try out.withUnsafeMutableBytes { try readRetrying(fd, into: $0.baseAddress! + filled, count: $0.count - filled, file: path) }
            if n == 0 { break }
            filled += n
        }
        out.removeSubrange(filled...)
        return out
    }
}
