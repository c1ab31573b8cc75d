import ArgumentParser
import FlyVec
import Foundation

struct PhrasesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phrases",
        abstract: "Learn frequent word pairs (new york) and write the corpus with them joined (new_york).",
        discussion: """
            Scores every pair of adjacent words with word2vec's phrase score as gensim's Phrases does, \
            (count(a b) - min-count) / (count(a) count(b)) * |vocabulary|, and joins the pairs above --threshold; \
            stop words are never joined. The output is pretokenized text, one sentence a line: train on it with \
            'flyvec train OUT --pretokenized', and give word2vec the same file. Run it twice for phrases of three \
            or four words. Reads every input twice, so '-' (standard input) is not accepted.
            """)

    @Argument(help: "Corpus files, plain UTF-8 or zstd.")
    var corpus: [String]

    @Option(name: .shortAndLong, help: "The text to write; '-' writes to standard output.")
    var output: String

    @Option(help: "Pairs seen fewer times are never joined.")
    var phraseMinCount = Phrases.Options().minCount

    @Option(help: "The score a pair must exceed to be joined.")
    var threshold = Phrases.Options().threshold

    @Flag(help: "Drop every non-ASCII character, as the reference implementation does.")
    var ascii = false

    @Flag(help: "The input is split into tokens already (a second pass over this command's output).")
    var pretokenized = false

    @Flag(help: "Reject invalid UTF-8 (default: drop the bad bytes).")
    var strict = false

    @Option(help: "A file of stop words, never joined (default: the built-in English list).")
    var stopWords: String?

    @Flag(help: "Join stop words too.")
    var noStopWords = false

    @Flag(help: "No progress line.")
    var quiet = false

    func validate() throws {
        if corpus.isEmpty { throw ValidationError("name at least one corpus file") }
        if corpus.contains("-") { throw ValidationError("phrases reads its input twice: give files, not standard input") }
        if phraseMinCount < 1 { throw ValidationError("--phrase-min-count must be at least 1 (got \(phraseMinCount))") }
        if !threshold.isFinite { throw ValidationError("--threshold must be a number") }
    }

    func run() throws {
        try reportingErrors("phrases") {
            let progress = ProgressLine(quiet: quiet)
            var options = Phrases.Options()
            options.minCount = phraseMinCount
            options.threshold = threshold
            options.stopWords = Set(try chosenStopWords(path: stopWords, none: noStopWords))
            let tokenizer = TokenizerOptions(ascii: ascii, strict: strict, pretokenized: pretokenized)
            progress.line("learning phrases from \(corpus.joined(separator: ", "))")
            let total = ByteSource.plainSize(of: corpus)
            let phrases = try Phrases(learningFrom: corpus, tokenizer: tokenizer, options: options) {
                progress.reading(bytes: $0, total: total)
            }
            progress.line("learned \(phrases.pairs.count) phrases in \(format(progress.elapsed, 1)) s")
            if output == "-" {
                try phrases.write(corpus, tokenizer: tokenizer, progress: { progress.reading(bytes: $0, total: total) }) {
                    try StandardOutput.write($0)
                }
            } else {
                try AtomicFile.write(to: output) { out in
                    try phrases.write(corpus, tokenizer: tokenizer, progress: { progress.reading(bytes: $0, total: total) }, to: out)
                }
                progress.line("wrote \(output) in \(format(progress.elapsed, 1)) s")
            }
        }
    }
}
