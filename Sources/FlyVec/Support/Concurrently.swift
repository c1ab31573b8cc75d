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
