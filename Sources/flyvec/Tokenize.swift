import ArgumentParser
import FlyVec
import Foundation

struct Tokenize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the corpus as FlyVec tokenizes it: one sentence a line, tokens separated by spaces.",
        discussion: "Feeds other tools (gensim's LineSentence, word2vec) exactly the tokens FlyVec trains on.")

    @Argument(help: "Corpus files, plain UTF-8 or zstd; '-' reads standard input.")
    var corpus: [String]

    @Flag(help: "Drop every non-ASCII character, as the reference implementation does.")
    var ascii = false

    @Flag(help: "The text is split into tokens already: split on white space only, a line is a sentence, tokens kept as they are.")
    var pretokenized = false

    func run() throws {
        try reportingErrors("tokenize") {
            var sink = LinePrinter()
            for path in corpus {
                try Tokenizer.tokenize(file: path, options: TokenizerOptions(ascii: ascii, pretokenized: pretokenized), into: &sink)
            }
            sink.flush()
            if let failure = sink.failure { throw failure }
        }
    }
}
