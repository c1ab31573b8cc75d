import ArgumentParser
import FlyVec
import Foundation

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Word-similarity evaluation: Spearman correlation of code similarity with human scores.",
        discussion: "PAIRS files hold 'word<TAB>word<TAB>score' lines, '#' comments (WS353 and SimLex-999 in gensim's test data).")

    @OptionGroup var source: CodeSourceOptions

    @Argument(help: "Word-pair files.")
    var pairs: [String]

    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: "List the out-of-vocabulary pairs.")
    var listOOV = false

    func run() throws {
        try reportingErrors("eval") {
            if pairs.isEmpty { throw ValidationError("name at least one word-pair file") }
            let book = try source.load()
            let results = try pairs.map { path in
                WordSimilarityResult(try WordPairs.read(path)) { book.similarity($0, $1) }
            }
            if json {
                try printJSON(JSONOutput.Eval(k: book.k, bits: book.bits, readout: book.readout.rawValue, results: results.map { r in
                    JSONOutput.Eval.Result(dataset: r.name, spearman: r.spearman, pairs: r.used, oov: r.outOfVocabulary.count,
                                    oov_pairs: r.outOfVocabulary.map { [$0.first, $0.second] })
                }))
                return
            }
            print("codes: \(book.bits) bits, k \(book.k), \(book.readout.rawValue) read-out")
            for r in results {
                print("\(r.name)\tSpearman \(String(format: "%.4f", r.spearman))\t\(r.used) pairs\t\(r.outOfVocabulary.count) out of vocabulary")
                if listOOV { for p in r.outOfVocabulary { print("  oov: \(p.first) \(p.second)") } }
            }
        }
    }
}
