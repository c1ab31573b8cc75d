import ArgumentParser
import FlyVec
import Foundation

struct Similarity: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The similarity (n11 + n00) / K of two words' codes, and their Hamming distance.")

    @OptionGroup var source: CodeSourceOptions

    @Argument(help: "The first word.")
    var first: String
    @Argument(help: "The second word.")
    var second: String

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        try reportingErrors("similarity") {
            let book = try source.load()
            let a = book.word(matching: first), b = book.word(matching: second)
            for w in [a, b] where !book.contains(w) {
                throw FlyVecError(.invalidInput, "'\(w)' is not in the vocabulary (or is a stop word)")
            }
            if json {
                try printJSON(JSONOutput.Similarity(first: a, second: b, similarity: book.similarity(a, b)!,
                                             hamming: book.hammingDistance(a, b)!, bits: book.bits))
                return
            }
            print("\(String(format: "%.4f", book.similarity(a, b)!)) (Hamming distance \(book.hammingDistance(a, b)!) of \(book.bits) bits)")
        }
    }
}
