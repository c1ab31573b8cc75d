#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ctrl-C asks the trainer to stop between two batches; a second Ctrl-C ends the process at once.
enum Interrupt {
    nonisolated(unsafe) static var flag: sig_atomic_t = 0
    static var requested: Bool { flag != 0 }

    static func install() {
        signal(SIGINT) { _ in
            if Interrupt.flag != 0 { _exit(130) }
            Interrupt.flag = 1
        }
        // A parent may start us with SIGINT blocked (a test runner's threads do); the handler
        // would then never run.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}
