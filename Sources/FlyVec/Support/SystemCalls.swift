#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// POSIX read(2) and write(2), which `AtomicFile`'s own `read` and `write` would shadow.
@inline(__always) func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { read(fd, buffer, count) }
@inline(__always) func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int { write(fd, buffer, count) }

/// One read(2) of up to `count` bytes into `buffer`, resumed after signals: the bytes read, 0 at
/// the end of the input.
/// - Throws: ``FlyVecError`` `cannotRead` naming `file` (a disk error is not damage).
func readRetrying(_ fd: Int32, into buffer: UnsafeMutableRawPointer?, count: Int, file: String) throws -> Int {
    while true {
        let n = systemRead(fd, buffer, count)
        if n >= 0 { return n }
        if errno != EINTR { throw FlyVecError(.cannotRead, "read failed: \(String(cString: strerror(errno)))", file: file) }
    }
}

/// Writes all of `raw` to `fd`, resuming after signals.
/// - Throws: ``FlyVecError`` `cannotWrite` naming `file` (a full disk, a closed pipe).
func writeAll(_ fd: Int32, _ raw: UnsafeRawBufferPointer, file: String) throws {
    var done = 0
    while done < raw.count {
        let n = systemWrite(fd, raw.baseAddress! + done, raw.count - done)
        if n < 0 {
            if errno == EINTR { continue }
            throw FlyVecError(.cannotWrite, "cannot write: \(String(cString: strerror(errno)))", file: file)
        }
        // Nothing written and no error would loop for ever.
        if n == 0 { throw FlyVecError(.cannotWrite, "cannot write: the system took no bytes", file: file) }
        done += n
    }
}
