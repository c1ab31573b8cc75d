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
    static func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let bytes = max(1, count * MemoryLayout<T>.stride)
        guard let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), p != MAP_FAILED else {
            fatalError("out of memory: \(bytes) bytes")
        }
        return p.bindMemory(to: T.self, capacity: count)
    }

    /// `count` zeros of `T` that are never written: mapped read-only, so that even under strict
    /// overcommit they take neither memory nor commit charge; free with `deallocate(_:count:)`.
    static func zeros<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let bytes = max(1, count * MemoryLayout<T>.stride)
        guard let p = mmap(nil, bytes, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0), p != MAP_FAILED else {
            fatalError("out of address space: \(bytes) bytes")
        }
        return p.bindMemory(to: T.self, capacity: count)
    }

    static func deallocate<T>(_ pointer: UnsafeMutablePointer<T>, count: Int) {
        munmap(UnsafeMutableRawPointer(pointer), max(1, count * MemoryLayout<T>.stride))
    }
}
