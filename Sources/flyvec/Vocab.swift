import ArgumentParser
import FlyVec

struct Vocab: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Count a corpus and write its vocabulary as TSV (word<TAB>count).")

    @OptionGroup var corpus: CorpusOptions

    @Option(name: .shortAndLong, help: "Where to write the vocabulary TSV.")
    var output: String?

    @Flag(help: "No progress line.")
    var quiet = false

    @Flag(help: "Print the summary as JSON (with the words and counts when there is no --output).")
    var json = false


    func run() throws {
        try reportingErrors("vocab") {
            let progress = ProgressLine(quiet: quiet)
            let (vocab, _, stats) = try corpus.reader(progress: progress).read(corpus.corpus)
            if let output { try AtomicFile.write(Array(vocab.tsv().utf8), to: output) }
            progress.line("")
            if json {
                let entries = output != nil ? nil : zip(vocab.words, vocab.counts).map { JSONOutput.Vocab.Entry(word: $0, count: $1) }
                try printJSON(JSONOutput.Vocab(corpus: JSONOutput.Corpus(stats, vocab, seconds: progress.elapsed), vocabulary: entries))
                return
            }
            print(summary(stats, vocab, seconds: progress.elapsed))
            if output == nil { print(vocab.tsv(), terminator: "") }
        }
    }
}

func summary(_ s: CorpusStatistics, _ v: Vocabulary, seconds: Double) -> String {
    var lines = [
        "tokens      \(s.tokens)",
        "sentences   \(s.sentences)",
        "types       \(s.types)",
        "kept words  \(v.count - 2) (+ <UNK>, <NUM>)",
        "stop tokens \(s.stopWordTokens)",
        "coverage    \(format(100 * s.coverage, 2))% of tokens are vocabulary words",
        "read        \(format(Double(s.bytes) / 1e6, 1)) MB in \(format(seconds, 2)) s",
    ]
    if s.invalidBytes > 0 { lines.append("invalid UTF-8 sequences dropped: \(s.invalidBytes) (--strict rejects them)") }
    return lines.joined(separator: "\n")
}
