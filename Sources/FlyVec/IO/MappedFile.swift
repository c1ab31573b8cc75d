#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file's bytes without copying them: a regular file is mapped read-only (its pages are
/// the page cache's), anything else (a pipe, a device) is read into memory.
enum MappedFile {
    /// Calls `body` with the bytes of the file at `path`, valid only during the call.
    /// - Throws: ``FlyVecError`` `cannotRead` naming the file.
    static func withContents<T>(of path: String, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        let (fd, info) = try openForReading(path)
        defer { close(fd) }
        let size = Int(info.st_size)
        guard (info.st_mode & S_IFMT) == S_IFREG, size > 0,
              let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            return try AtomicFile.readAll(fd, size: size, file: path).withUnsafeBytes(body)
        }
        defer { munmap(p, size) }
        #if os(Linux)
        _ = madvise(p, size, MADV_SEQUENTIAL)
        #endif
        return try body(UnsafeRawBufferPointer(start: p, count: size))
    }

    /// An open descriptor of the file at `path` (not a directory) and its status; the caller closes it.
    static func openForReading(_ path: String) throws -> (fd: Int32, info: stat) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw FlyVecError(.cannotRead, "cannot open: \(String(cString: strerror(errno)))", file: path) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { close(fd); throw FlyVecError(.cannotRead, "cannot stat", file: path) }
        if (info.st_mode & S_IFMT) == S_IFDIR { close(fd); throw FlyVecError(.cannotRead, "is a directory", file: path) }
        return (fd, info)
    }
}
