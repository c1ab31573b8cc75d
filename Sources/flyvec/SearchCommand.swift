import ArgumentParser
import FlyVec
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "The documents of an index nearest to a text.",
        discussion: """
            Codes the query with the model the index was made with and prints the nearest documents, \
            'id similarity snippet' a line (tab-separated), similarity being (n11 + n00) / K. With no query, \
            reads one query a line from standard input until its end; each answer ends with an empty line.
            """)

    @Argument(help: "The index (.flyindex); '-' reads standard input.")
    var index: String

    @Argument(help: "The query text. [default: one query a line from standard input]")
    var query: String?

    @Option(name: .short, help: "How many documents.")
    var n = 10

    @Option(help: "The model, if not at the path the index recorded.")
    var model: String?

    @Flag(help: "One JSON object per query, for programs.")
    var json = false

    @Flag(help: "Print to standard error how long coding and searching the queries took.")
    var timing = false

    func validate() throws {
        if n < 1 { throw ValidationError("-n must be at least 1 (got \(n))") }
    }

    func run() throws {
        try reportingErrors("search") {
            let search = try DocumentSearch(index: index, model: model)
            let clock = ContinuousClock()
            var coding = Duration.zero, searching = Duration.zero, queries = 0
            func answer(_ text: String) throws -> Bool {
                queries += 1
                let t0 = clock.now
                let code = search.hasher.code(of: text)
                let t1 = clock.now
                let found = try code.map { try search.index.nearest(to: $0, count: n) }
                coding += t1 - t0
                searching += clock.now - t1
                guard let found else {
                    if json {
                        try printJSON(JSONOutput.Search(query: text, error: "no word of the query is known to the model"))
                    } else {
                        printError("no word of the query is known to the model: \(text)")
                    }
                    return false
                }
                if json {
                    try printJSON(JSONOutput.Search(query: text, documents: found.map(JSONOutput.Search.Hit.init)))
                } else {
                    for m in found { print("\(m.id)\t\(String(format: "%.4f", m.similarity))\t\(m.snippet)") }
                }
                return true
            }
            defer {
                if timing {
                    printError("\(queries) queries: coding \(format(coding.seconds, 3)) s, searching \(format(searching.seconds, 3)) s (\(Int(Double(queries) / max(searching.seconds, 1e-9))) queries/s), \(search.index.count) documents, \(search.index.codeBytes) bytes of posting lists")
                }
            }
            if let query {
                if !(try answer(query)) { throw ExitCode.failure }
                return
            }
            try forEachQueryLine(prompt: "Query? ") { line in
                if try answer(line), !json { print("") }
                fflush(nil)
            }
        }
    }
}
