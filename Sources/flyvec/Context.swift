import ArgumentParser
import FlyVec

struct Context: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Contextual codes: for every word of a sentence, the vocabulary words nearest to its code in context.")

    @Argument(help: "The model (.flyvec).")
    var model: String

    @Argument(help: "The text (one or more sentences).")
    var text: String

    @OptionGroup var code: CodeOptions

    @Option(name: .short, help: "Neighbours per word.")
    var n = 5

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        try reportingErrors("context") {
            let m = try code.model(at: model)
            let hasher = try code.hasher(of: m)
            // The neighbours' codes come from the same hasher: its z-scoring statistics are made once.
            let progress = ProgressLine.forQueries()
            let book = try CodeBook(hasher: hasher) { progress.coding($0, of: $1) }
            progress.clear()
            let sentences = hasher.contextualCodes(of: text)
            if json {
                try printJSON(JSONOutput.Context(sentences: sentences.map { sentence in
                    sentence.map { token, code in
                        JSONOutput.Context.Token(token: token, neighbors: code.map { book.nearest(to: $0, count: n).map(JSONOutput.Neighbour.init) })
                    }
                }))
                return
            }
            for sentence in sentences {
                for (token, code) in sentence {
                    guard let code else { print("\(token)\t-"); continue }
                    let near = book.nearest(to: code, count: n).map { "\($0.word) \(String(format: "%.4f", $0.similarity))" }
                    print("\(token)\t\(near.joined(separator: ", "))")
                }
            }
        }
    }
}
