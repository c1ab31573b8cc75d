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

struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Describe a model or a code file.")

    @Argument(help: "A model (.flyvec) or a code file (.flycodes).")
    var file: String

    func run() throws {
        try reportingErrors("info") {
            let bytes = try AtomicFile.read(file)
            if ModelFile.matches(bytes) {
                let version = ModelFile.formatVersion(of: bytes)!
                let m = try ModelFile.decode(consume bytes, file: file)
                let o = m.options
                print("FlyVec model, format version \(version)")
                print("vocabulary   \(m.vocabulary.count) ids (\(m.vocabulary.count - 2) words + <UNK>, <NUM>), \(m.vocabulary.stopWords.count) stop words")
                print("hidden units \(o.hidden); window \(o.window); batch \(o.batch); lr \(o.learningRate); sigma \(o.sigma); seed \(o.seed); p \(o.p); delta \(o.delta); f = count^-\(o.frequencyPower)")
                print("epochs       \(m.epochsDone) of \(o.epochs)\(m.isComplete ? "" : " (a checkpoint)")")
                for e in m.history { print("  epoch \(e.epoch + 1): energy \(String(format: "%.6f", e.energy)), \(String(format: "%.2f", e.seconds)) s") }
                if let u = m.usage?.settings {
                    print("usage        stored profile: order \(u.order) over \(u.window) words, \(u.method.rawValue), weights count^-\(u.power) (codes default to it, k \(CodeDefaults.k(for: .usage, units: o.hidden)))")
                }
            } else if CodeFile.matches(bytes) {
                let b = try CodeFile.decode(bytes, file: file)
                let version = CodeFile.formatVersion(of: bytes)!
                let stored = CodeFile.storedBits(bits: b.bits, k: b.k, version: version)
                print("FlyVec code file, format version \(version)")
                print("codes        \(b.count) words, \(b.bits) bits, \(b.k) active, \(b.readout.rawValue) read-out, stored in \(stored) bits a code")
            } else {
                throw FlyVecError.file(file, "neither a FlyVec model nor a code file (wrong magic bytes)")
            }
        }
    }
}
