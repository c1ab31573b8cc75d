import Foundation

/// A bounded queue from one producer thread to one consumer.
final class Channel<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var chunks: [Element] = []
    private var closed = false
    private let depth: Int
    private(set) var cancelled = false
    private(set) var error: Error?

    init(depth: Int) { self.depth = depth }

    /// Waits for room, then queues `chunk` (dropped if the consumer gave up).
    func put(_ chunk: Element) {
        condition.lock()
        defer { condition.unlock() }
        while chunks.count >= depth && !cancelled { condition.wait() }
        if !cancelled { chunks.append(chunk) }
        condition.broadcast()
    }

    /// The next chunk, or nil once the producer closed and everything was taken.
    func take() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while chunks.isEmpty && !closed { condition.wait() }
        if chunks.isEmpty { return nil }
        condition.broadcast()
        return chunks.removeFirst()
    }

    func close(error: Error?) {
        condition.lock()
        self.error = error
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// The consumer stops early: frees the producer and waits until it has closed.
    func cancel() {
        condition.lock()
        cancelled = true
        chunks.removeAll()
        condition.broadcast()
        while !closed { condition.wait() }
        condition.unlock()
    }
}
