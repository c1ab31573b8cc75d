#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opening a file to read, with the errors every reader gives.
enum InputFile {
    /// An open descriptor of the file at `path` (not a directory) and its status; the caller closes it.
    static func openForReading(_ path: String) throws -> (fd: Int32, info: stat) {
        try openForReading(path, fd: open(path, O_RDONLY))
    }

    /// As `openForReading(_:)`, with `-` for standard input (a descriptor of its own, so that
    /// closing it leaves standard input open).
    static func openForStreaming(_ path: String) throws -> (fd: Int32, info: stat) {
        try openForReading(path, fd: path == "-" ? dup(0) : open(path, O_RDONLY))
    }

    private static func openForReading(_ path: String, fd: Int32) throws -> (fd: Int32, info: stat) {
        guard fd >= 0 else { throw FlyVecError(.cannotRead, "cannot open: \(String(cString: strerror(errno)))", file: path) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { close(fd); throw FlyVecError(.cannotRead, "cannot stat", file: path) }
        if (info.st_mode & S_IFMT) == S_IFDIR { close(fd); throw FlyVecError(.cannotRead, "is a directory", file: path) }
        return (fd, info)
    }
}
