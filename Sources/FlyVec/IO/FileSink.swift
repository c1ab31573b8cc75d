import CFlyVecSupport
import Foundation

/// The bytes of one file being written, gathered into aligned 4 MB blocks that a second thread
/// writes while the caller fills the next. The blocks go to disk past the page cache (O_DIRECT)
/// where the system and file system allow it; the last, partial block and any block refused that
/// way go through the page cache. A file under one block is written by the caller alone, with no
/// thread started. The owner calls `finish` to complete the file, and `stop` in every case before
/// closing it.
///
/// Why: on virtual machines whose host reclaims the guest's free memory, copying a file into fresh
/// page-cache pages faulted every page in again (a 247 MB model: 0.2–0.8 s in `dd`, against
/// 0.15–0.17 s for `dd oflag=direct`), and a model just written is read once if at all. The bytes
/// on disk are the same either way.
final class FileSink: @unchecked Sendable {
    static let block = 4 << 20

    private let fd: Int32
    private let path: String
    // Guards everything below it but `current`, `filled` and `started`, which only the caller
    // touches, and `uncached`, `written` and `startedWriteback`, which only the writer thread
    // touches (the caller alone, when no writer started).
    private let condition = NSCondition()
    private var spare: [UnsafeMutableRawPointer] = []
    private var queued: [(block: UnsafeMutableRawPointer, count: Int, last: Bool)] = []
    private var stopping = false, draining = false, writerDone = true
    private var failure: Error?
    private var current: UnsafeMutableRawPointer
    private var filled = 0
    /// Whether the writer thread was started (at the first full block).
    private var started = false
    private var uncached = false
    private var written = 0, startedWriteback = 0
    private var blocks: [UnsafeMutableRawPointer] = []

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
        // Memory is mapped as it is written: a small file touches a few pages of this block.
        current = .allocate(byteCount: Self.block, alignment: 4096)
        blocks = [current]
    }

    deinit {
        for b in blocks { b.deallocate() }
    }

    /// The writer thread and its two more blocks, at the first full block. The thread holds the
    /// sink until `stop` ends it.
    private func startWriter() {
        let more: [UnsafeMutableRawPointer] = (0..<2).map { _ in .allocate(byteCount: Self.block, alignment: 4096) }
        blocks += more
        spare = more
        uncached = flyvec_set_uncached(fd, 1) == 0
        started = true
        writerDone = false
        let writer = Thread { [self] in writeQueued() }
        writer.stackSize = 1 << 20
        writer.start()
    }

    /// Appends `raw` to the file.
    /// - Throws: the writer's error (a full disk), once it has one.
    func append(_ raw: UnsafeRawBufferPointer) throws {
        var at = 0
        while at < raw.count {
            let n = min(raw.count - at, Self.block - filled)
            (current + filled).copyMemory(from: raw.baseAddress! + at, byteCount: n)
            filled += n
            at += n
            if filled == Self.block { try handOff(last: false) }
        }
    }

    /// Writes what is left and waits for the writer; the caller then syncs the file.
    func finish() throws {
        if !started {
            // No thread was needed: the file fit one block.
            try write(current, count: filled, last: true)
            filled = 0
            return
        }
        try handOff(last: true)
        stop(draining: true)
        if let failure { throw failure }
    }

    /// Stops the writer thread, if one started, and waits for it: with `draining`, after it has
    /// written every block handed to it; else after the block it is writing.
    func stop(draining: Bool = false) {
        condition.lock()
        stopping = true
        self.draining = self.draining || draining
        condition.broadcast()
        while !writerDone { condition.wait() }
        condition.unlock()
    }

    private func handOff(last: Bool) throws {
        if !started { startWriter() }
        condition.lock()
        defer { condition.unlock() }
        queued.append((current, filled, last))
        condition.broadcast()
        while spare.isEmpty && failure == nil && !last { condition.wait() }
        if let failure { throw failure }
        if !last { current = spare.removeLast() }
        filled = 0
    }

    private func writeQueued() {
        condition.lock()
        while true {
            // What is queued is written before the stop that `finish` asks for; any other stop,
            // or a failure, drops it.
            while queued.isEmpty && !stopping { condition.wait() }
            if queued.isEmpty || failure != nil || (stopping && !draining) { break }
            let item = queued.removeFirst()
            condition.unlock()
            var error: Error?
            do { try write(item.block, count: item.count, last: item.last) } catch let e { error = e }
            condition.lock()
            if let error { failure = error }
            spare.append(item.block)
            condition.broadcast()
        }
        writerDone = true
        condition.broadcast()
        condition.unlock()
    }

    private func write(_ block: UnsafeMutableRawPointer, count: Int, last: Bool) throws {
        if uncached && last { stopUncached() }
        var done = 0
        if uncached {
            while done < count {
                let n = systemWrite(fd, block + done, count - done)
                if n < 0 && errno == EINTR { continue }
                // A refusal (alignment, a file system that takes O_DIRECT at open but not at write)
                // or a short write leaves the rest to the page cache; a real error recurs there.
                if n <= 0 || n % 4096 != 0 { if n > 0 { done += n }; stopUncached(); break }
                done += n
            }
        }
        if done < count { try writeAll(fd, UnsafeRawBufferPointer(start: block + done, count: count - done), file: path) }
        written += count
        // Through the page cache, writeback starts as the bytes come, a few tens of megabytes
        // behind, so that the closing fsync waits for the last of them only.
        if !uncached && written - startedWriteback >= Self.writebackStep {
            flyvec_start_writeback(fd, Int64(startedWriteback), Int64(written - startedWriteback))
            startedWriteback = written
        }
    }

    private func stopUncached() {
        _ = flyvec_set_uncached(fd, 0)
        uncached = false
    }

    /// Bytes between the requests to start writing a file back.
    static let writebackStep = 32 << 20
}
