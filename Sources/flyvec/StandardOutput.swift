import FlyVec
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes bulk output to standard output, reporting a failed write (a full disk) as an error
/// rather than trapping, as FileHandle's write does.
enum StandardOutput {
    /// write(2), which this type's own `write` would shadow.
    private static func systemWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(fd, p, n)
        #else
        Darwin.write(fd, p, n)
        #endif
    }

    static func write(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = systemWrite(1, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw FlyVecError(.cannotWrite, "cannot write: \(String(cString: strerror(errno)))", file: "-")
            }
            done += n
        }
    }
}
