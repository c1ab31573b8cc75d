import ArgumentParser
import FlyVec
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Nearest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nn",
        abstract: "Nearest neighbours of words, in the manner of fastText's nn.",
        discussion: """
            Reads query words from standard input until end of input (prompting 'Query word? ' on a terminal) \
            and prints 'word similarity' lines, similarity being (n11 + n00) / K. An unknown word is reported \
            and the loop goes on.
            """)

    @OptionGroup var source: CodeSourceOptions

    @Option(name: .short, help: "How many neighbours.")
    var n = 10

    @Option(help: "Answer for this one word and exit.")
    var query: String?

    @Flag(help: "One JSON object per query, for programs.")
    var json = false

    func validate() throws {
        if n < 1 { throw ValidationError("-n must be at least 1 (got \(n))") }
    }

    func run() throws {
        try reportingErrors("nn") {
            let book = try source.load()
            if let query {
                if !answer(query, book) { throw ExitCode.failure }
                return
            }
            forEachQueryLine(prompt: "Query word? ") { line in
                for word in line.split(whereSeparator: { $0 == " " || $0 == "\t" }) { _ = answer(String(word), book) }
            }
        }
    }

    /// Prints the neighbours of `raw`; false when it has no code.
    private func answer(_ raw: String, _ book: CodeBook) -> Bool {
        let word = book.word(matching: raw)
        guard let found = book.nearest(to: word, count: n) else {
            if json {
                try? printJSON(JSONOutput.Query(query: word, error: "not in the vocabulary"))
            } else {
                printError("'\(word)' is not in the vocabulary (or is a stop word)")
            }
            return false
        }
        if json {
            try? printJSON(JSONOutput.Query(query: word, neighbors: found.map(JSONOutput.Neighbour.init)))
        } else {
            for m in found { print("\(m.word) \(String(format: "%.4f", m.similarity))") }
        }
        fflush(nil)
        return true
    }
}
