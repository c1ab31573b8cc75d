import ArgumentParser
import FlyVec
import Foundation

extension Exporter.Format: ExpressibleByArgument {}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export codes for other tools.",
        discussion: """
            word2vec: the text vector format (a 'count K' header, then a word and its K 0/1 values per line); \
            word2vec-binary: the same as word2vec's binary format (K float32 values a word); both readable by \
            gensim's KeyedVectors.load_word2vec_format (binary=True for the second). npy: a uint8 array of shape \
            (count, ceil(K/8)) with the bits packed little-endian within each byte (numpy.unpackbits with \
            bitorder='little' restores them), and the words in OUT.words.txt, one per line. \
            Note that gensim's cosine on 0/1 vectors is not FlyVec's similarity (n11 + n00) / K: \
            1 - hamming / K is (see docs/FORMAT.md).
            """)

    @OptionGroup var source: CodeSourceOptions

    @Option(help: "word2vec, word2vec-binary or npy.")
    var format: Exporter.Format

    @Option(name: .shortAndLong, help: "The file to write; '-' writes to standard output (word2vec formats only).")
    var output: String

    func run() throws {
        try reportingErrors("export") {
            if output == "-" && format == .npy {
                throw ValidationError("npy goes to a file: its words are written beside it, to OUT.words.txt")
            }
            let book = try source.load()
            if output == "-" {
                try Exporter.write(book, as: format) { try StandardOutput.write($0) }
                return
            }
            try AtomicFile.write(to: output) { out in try Exporter.write(book, as: format, to: out) }
            if format == .npy { try AtomicFile.write(Exporter.words(book), to: output + ".words.txt") }
            printError("wrote \(book.count) codes to \(output)")
        }
    }
}
