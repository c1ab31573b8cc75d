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

    @Flag(help: "Reject invalid UTF-8 (default: drop the bad bytes).")
    var strict = false

    @Flag(help: "No progress line (it is shown on standard error when that is a terminal).")
    var quiet = false

    func run() throws {
        try reportingErrors("tokenize") {
            var sink = LinePrinter()
            let progress = ProgressLine(quiet: quiet || isatty(2) == 0)
            let total = ByteSource.plainSize(of: corpus)
            try Tokenizer.tokenize(files: corpus, options: TokenizerOptions(ascii: ascii, strict: strict, pretokenized: pretokenized),
                                   into: &sink, progress: { progress.reading(bytes: $0, total: total) }) { sink in
                // Standard output is gone: the rest of the input need not be read.
                if let failure = sink.failure { throw failure }
            }
            progress.clear()
            sink.flush()
            if let failure = sink.failure { throw failure }
        }
    }
}
