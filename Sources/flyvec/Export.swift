import ArgumentParser
import FlyVec

enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
    case word2vec, npy
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export codes for other tools.",
        discussion: """
            word2vec: the text vector format (a 'count K' header, then a word and its K 0/1 values per line), \
            readable by gensim's KeyedVectors.load_word2vec_format. npy: a uint8 array of shape \
            (count, ceil(K/8)) with the bits packed little-endian within each byte (numpy.unpackbits with \
            bitorder='little' restores them), and the words in OUT.words.txt, one per line.
            """)

    @OptionGroup var source: CodeSourceOptions

    @Option(help: "word2vec or npy.")
    var format: ExportFormat

    @Option(name: .shortAndLong, help: "The file to write.")
    var output: String

    func run() throws {
        try reportingErrors("export") {
            let book = try source.load()
            switch format {
            case .word2vec: try AtomicFile.write(Array(Exporter.word2vecText(book).utf8), to: output)
            case .npy:
                try AtomicFile.write(Exporter.npy(book), to: output)
                try AtomicFile.write(Array((book.words.joined(separator: "\n") + "\n").utf8), to: output + ".words.txt")
            }
            printError("wrote \(book.count) codes to \(output)")
        }
    }
}
