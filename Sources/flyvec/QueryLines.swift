import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Calls `body` with every line of standard input until its end, showing `prompt` before each
/// line when standard input is a terminal: the query loop of `nn` and `search`.
func forEachQueryLine(prompt: String, _ body: (String) throws -> Void) rethrows {
    let interactive = isatty(0) != 0
    while true {
        if interactive { print(prompt, terminator: ""); fflush(nil) }
        guard let line = readLine() else { break }
        try body(line)
    }
}
