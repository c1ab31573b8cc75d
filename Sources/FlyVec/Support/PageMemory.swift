#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Zeroed memory for large arrays straight from the kernel: no pass to clear it (pages are zero
/// until first written). In ordinary pages, not transparent huge pages: on the virtual machine
/// measured (docs/BENCHMARKS.md) the first touch of fresh huge pages was the slow part of setup,
/// and ordinary pages made it 0.7 s shorter for the default synapses and 1.3 s for
/// `--preset wide`'s, more than the TLB misses they add to the epoch (0.1–0.4 s).
enum PageMemory {
    /// `count` zeroed values of `T`; free with `deallocate(_:count:)`.
    /// - Throws: `outOfSpace` when the system refuses that much memory.
    static func allocate<T>(_ type: T.Type, count: Int) throws -> UnsafeMutablePointer<T> {
        try map(T.self, count: count, protection: PROT_READ | PROT_WRITE, flags: MAP_PRIVATE | MAP_ANONYMOUS)
    }

    /// `count` zeros of `T` that are never written: mapped read-only, so that even under strict
    /// overcommit they take neither memory nor commit charge; free with `deallocate(_:count:)`.
    /// - Throws: `outOfSpace` when the address space is too small.
    static func zeros<T>(_ type: T.Type, count: Int) throws -> UnsafeMutablePointer<T> {
        try map(T.self, count: count, protection: PROT_READ, flags: MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE)
    }

    private static func map<T>(_ type: T.Type, count: Int, protection: Int32, flags: Int32) throws -> UnsafeMutablePointer<T> {
        let (bytes, overflow) = max(1, count).multipliedReportingOverflow(by: MemoryLayout<T>.stride)
        guard !overflow, let p = mmap(nil, bytes, protection, flags, -1, 0), p != MAP_FAILED else {
            let size = overflow ? "more than \(Int.max) bytes"
                : bytes < 1_000_000 ? "\(bytes) bytes" : "\(bytes / 1_000_000).\(bytes / 100_000 % 10) MB"
            throw FlyVecError(.outOfSpace, "out of memory: the system refused \(size)")
        }
        return p.bindMemory(to: T.self, capacity: count)
    }

    static func deallocate<T>(_ pointer: UnsafeMutablePointer<T>, count: Int) {
        munmap(UnsafeMutableRawPointer(pointer), max(1, count * MemoryLayout<T>.stride))
    }
}
