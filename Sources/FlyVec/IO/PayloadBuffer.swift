/// A file's decompressed payload, in page memory: filled straight by the decoder, with no clearing
/// pass and no regrowing copies when its size is guessed right (code files; models are read as a
/// stream, `PayloadStream`).
final class PayloadBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    /// Bytes filled so far.
    var count = 0

    init(capacity: Int) throws {
        self.capacity = max(capacity, 1 << 16)
        base = try PageMemory.allocate(UInt8.self, count: self.capacity)
    }

    deinit { PageMemory.deallocate(base, count: capacity) }

    /// The filled bytes; valid while the buffer lives and does not grow (hold the buffer, or use
    /// `withBytes`).
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Calls `body` with the filled bytes, the buffer kept alive meanwhile.
    func withBytes<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try withExtendedLifetime(self) { try body(bytes) }
    }

    /// Makes room for at least `extra` more bytes, at least doubling when it must move.
    func reserve(_ extra: Int) throws {
        guard count + extra > capacity else { return }
        let grown = max(capacity * 2, count + extra)
        let moved = try PageMemory.allocate(UInt8.self, count: grown)
        moved.update(from: base, count: count)
        PageMemory.deallocate(base, count: capacity)
        base = moved
        capacity = grown
    }
}
