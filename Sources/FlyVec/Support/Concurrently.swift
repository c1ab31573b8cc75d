import Dispatch

/// Runs `body(i)` for i in 0..<n, on as many cores as there are (inline when n is 1). The callers
/// make every iteration write only its own slice of shared buffers, so `body` need not be Sendable.
func concurrently(_ n: Int, _ body: (Int) -> Void) {
    if n == 1 { body(0); return }
    withoutActuallyEscaping(body) { b in
        nonisolated(unsafe) let b = b
        DispatchQueue.concurrentPerform(iterations: n) { b($0) }
    }
}

/// `body(i)` for i in 0..<n, results in order, on up to `threads` threads (thread t takes t,
/// t + threads, ...), so the results do not depend on the number of threads.
func concurrentMap<T>(_ n: Int, threads: Int, _ body: (Int) -> T) -> [T] {
    var results = [T?](repeating: nil, count: n)
    results.withUnsafeMutableBufferPointer { out in
        nonisolated(unsafe) let out = out
        let T = max(1, min(threads, n))
        concurrently(T) { t in
            for i in stride(from: t, to: n, by: T) { out[i] = body(i) }
        }
    }
    return results.map { $0! }
}
