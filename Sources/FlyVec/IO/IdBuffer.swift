#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A growable array of UInt32 that moves to a memory-mapped temporary file once it passes
/// `spillBytes`, so a corpus larger than memory never has to fit in it: the kernel pages the ids in
/// and out. The file is unlinked as soon as it is created; nothing is left behind.
public final class IdBuffer: @unchecked Sendable {
    // `append` runs once a token while the corpus is read: the run-time exclusivity checks on
    // these three (a library call each) took about a quarter of the interning loop.
    /// Ids appended so far (appends dropped after a `failure` are not counted).
    @exclusivity(unchecked) public private(set) var count = 0
    @exclusivity(unchecked) private var capacity = 0
    @exclusivity(unchecked) private(set) var base: UnsafeMutablePointer<UInt32>?
    private var fd: Int32 = -1
    private let spillBytes: Int
    private let directory: String?

    /// Bytes above which buffers spill to a mapped file, unless a reader sets its own.
    public static let defaultSpillBytes = 1 << 30

    /// An empty buffer.
    /// - Parameters:
    ///   - spillBytes: the size above which the ids move to a memory-mapped temporary file.
    ///   - directory: where the spill file goes (default: `TMPDIR`, else `/tmp`).
    public init(spillBytes: Int = IdBuffer.defaultSpillBytes, directory: String? = nil) {
        self.spillBytes = spillBytes
        self.directory = directory
    }

    deinit { release() }

    /// Whether the ids live in a memory-mapped file.
    public var isMapped: Bool { fd >= 0 }

    /// An empty buffer that spills as this one does (same threshold, same directory).
    func sibling() -> IdBuffer { IdBuffer(spillBytes: spillBytes, directory: directory) }

    /// Where spill files go: the directory given, else `TMPDIR`, else `/tmp`.
    var spillDirectory: String { directory ?? getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp" }

    var buffer: UnsafeMutableBufferPointer<UInt32> { UnsafeMutableBufferPointer(start: base, count: count) }

    /// Set when the buffer could not grow (memory or disk space ran out): appends are dropped from
    /// then on, and the owner throws it once its pass is over (`check()`).
    public private(set) var failure: FlyVecError?

    /// Appends `v`, doubling the capacity when full (moving to the mapped file past `spillBytes`);
    /// once growing has failed, `v` is dropped silently and `check()` throws.
    @inline(__always)
    public func append(_ v: UInt32) {
        if count == capacity && !grow() { return }
        base![count] = v
        count += 1
    }

    /// Appends `n` ids left for the caller to write, and returns them.
    /// - Throws: ``FlyVecError`` `outOfSpace` when memory or disk space ran out.
    func extend(by n: Int) throws -> UnsafeMutableBufferPointer<UInt32> {
        if n == 0 { return UnsafeMutableBufferPointer(start: base.map { $0 + count }, count: 0) }
        while count + n > capacity { guard grow() else { try check(); break } }
        let at = count
        count += n
        return UnsafeMutableBufferPointer(start: base! + at, count: n)
    }

    /// Throws the failure that stopped the appends, if one did.
    public func check() throws {
        if let failure { throw failure }
    }

    /// The id at `i`, read or replaced in place; `i` must be in 0..<count (not checked).
    subscript(i: Int) -> UInt32 {
        get { base![i] }
        set { base![i] = newValue }
    }

    /// Doubles the capacity; false (and `failure` set) when memory or disk space ran out.
    private func grow() -> Bool {
        if failure != nil { return false }
        func fail(_ why: String) -> Bool {
            failure = FlyVecError(.outOfSpace, why)
            return false
        }
        let newCapacity = max(1 << 16, capacity * 2)
        let bytes = newCapacity * 4
        if fd < 0 && bytes <= spillBytes {
            // realloc moves large blocks by remapping pages, without copying or touching them again.
            guard let p = realloc(base, bytes) else { return fail("out of memory for \(newCapacity) ids") }
            base = p.bindMemory(to: UInt32.self, capacity: newCapacity)
        } else {
            if fd < 0 {
                guard let opened = openTemporary() else { return false }
                fd = opened
            }
            // Blocks reserved now, so that a full disk is an error here rather than a SIGBUS when a
            // page of the mapping is first written.
            guard reserve(bytes) else {
                return fail("cannot grow a temporary id file in \(spillDirectory) to \(bytes) bytes: \(String(cString: strerror(errno))) (--temp-dir or TMPDIR says where these go)")
            }
            guard let m = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), m != MAP_FAILED else {
                return fail("cannot map the temporary id file: \(String(cString: strerror(errno)))")
            }
            let p = m.bindMemory(to: UInt32.self, capacity: newCapacity)
            if let base {
                if isMappedMemory { munmap(base, capacity * 4) } else { p.update(from: base, count: count); free(base) }
            }
            base = p
            isMappedMemory = true
        }
        capacity = newCapacity
        return true
    }

    private func reserve(_ bytes: Int) -> Bool {
        #if os(Linux)
        let status = posix_fallocate(fd, 0, off_t(bytes))
        if status != 0 { errno = status }
        return status == 0
        #else
        return ftruncate(fd, off_t(bytes)) == 0
        #endif
    }

    private var isMappedMemory = false

    private func openTemporary() -> Int32? {
        let dir = spillDirectory
        var template = Array("\(dir)/flyvec-ids-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            failure = FlyVecError(.outOfSpace, "cannot create a temporary id file in \(dir): \(String(cString: strerror(errno))) (--temp-dir or TMPDIR says where these go)")
            return nil
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return fd
    }

    private func release() {
        guard let base else { return }
        if isMappedMemory { munmap(base, capacity * 4) } else { free(base) }
        if fd >= 0 { close(fd) }
        self.base = nil
    }
}
