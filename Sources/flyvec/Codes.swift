import ArgumentParser
import FlyVec

struct Codes: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the static code of every vocabulary word of a model to a code file.")

    @Argument(help: "The model (.flyvec).")
    var model: String

    @OptionGroup var code: CodeOptions

    @Option(name: .shortAndLong, help: "The code file to write.")
    var output: String

    func run() throws {
        try reportingErrors("codes") {
            let m = try ModelFile.read(model)
            let book = try CodeBook(model: m, k: code.k, readout: code.readout, usage: try code.usage.profile(of: m, readout: code.readout))
            try CodeFile.write(book, to: output)
            printError("wrote \(book.count) codes of \(book.bits) bits, \(code.k) active (\(code.readout.rawValue) read-out; \(CodeFile.storedBits(bits: book.bits, k: code.k)) bits a code in the file) to \(output)")
        }
    }
}

/// How static (and contextual) codes are read out of a model.
struct CodeOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Active bits per code.")
    var k: Int = CodeDefaults.k

    @Option(help: "Read-out: target (the reference's), context, sum of both, sumz (sum z-scored per unit), or usage (needs --corpus).")
    var readout: Readout = CodeDefaults.readout

    @OptionGroup var usage: UsageOptions
}

/// What the usage read-out reads, for every command that makes codes from a model.
struct UsageOptions: ParsableArguments {
    @Option(help: "Corpus file for the usage read-out (repeat for several; '-' reads standard input).")
    var corpus: [String] = []

    @Option(help: "Words around each occurrence the usage read-out looks at, the word included. [default: the model's training window]")
    var usageWindow: Int?

    @Option(help: "1: a word's profile is the mean drive of the words around it; 2: the sum of their order-1 profiles (a second pass).")
    var usageOrder: Int = UsageProfile.defaultOrder

    /// The usage profile `readout` needs, read from the corpus with the model's vocabulary and
    /// tokenizer; nil for the other read-outs.
    func profile(of model: Model, readout: Readout?) throws -> UsageProfile? {
        guard readout == .usage else {
            if !corpus.isEmpty { printError("note: --corpus is only read for the usage read-out") }
            return nil
        }
        guard !corpus.isEmpty else { throw ValidationError("the usage read-out needs the corpus: --corpus FILE") }
        var reader = CorpusReader()
        reader.tokenizer = model.tokenizer
        let (_, encoded, _) = try reader.read(corpus, vocabulary: model.vocabulary)
        return try UsageProfile(model: model, corpus: encoded, window: usageWindow, order: usageOrder)
    }
}
