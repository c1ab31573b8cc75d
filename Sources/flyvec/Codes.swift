import ArgumentParser
import FlyVec

extension UsageSettings.Method: ExpressibleByArgument {}

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
            let book = try code.codeBook(of: try ModelFile.read(model))
            try CodeFile.write(book, to: output)
            printError("wrote \(book.count) codes of \(book.bits) bits, \(book.k) active (\(book.readout.rawValue) read-out; \(CodeFile.storedBits(bits: book.bits, k: book.k)) bits a code in the file) to \(output)")
        }
    }
}

/// How static (and contextual) codes are read out of a model.
struct CodeOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Active bits per code. [default: \(CodeDefaults.usageK) for usage (K/16 under K 512), \(CodeDefaults.k) for the others]")
    var k: Int?

    @Option(help: "Read-out: target (the reference's), context, sum of both, sumz (sum z-scored per unit), or usage (the model's stored profile, or one made from --corpus). [default: usage when the model stores a profile, else \(CodeDefaults.readout.rawValue)]")
    var readout: Readout?

    @OptionGroup var usage: UsageOptions

    func hasher(of model: Model) throws -> Hasher {
        let r = readout ?? CodeDefaults.readout(for: model)
        return try Hasher(model: model, k: k, readout: r, usage: try usage.profile(of: model, readout: r))
    }

    func codeBook(of model: Model) throws -> CodeBook { try CodeBook(hasher: try hasher(of: model)) }
}

/// What the usage read-out reads, for every command that makes codes from a model.
struct UsageOptions: ParsableArguments {
    @Option(help: "Make the usage profile from this corpus instead of the model's stored one (repeat for several; '-' reads standard input).")
    var corpus: [String] = []

    @Option(help: "With --corpus: words around each occurrence the profile looks at, the word included. [default: the model's usage window, else its training window]")
    var usageWindow: Int?

    @Option(help: "With --corpus: 1, a word is described by the words around it; 2, by how those words are used (a second pass). [default: \(UsageProfile.defaultOrder)]")
    var usageOrder: Int?

    @Option(help: "With --corpus: sparse (each context word adds its strongest units, or its order-1 code) or dense (whole columns, FlyVec's earlier method). [default: sparse]")
    var usageMethod: UsageSettings.Method?

    /// The usage profile `readout` needs: made from `--corpus` (read with the model's vocabulary
    /// and tokenizer) when given, else nil so that the model's stored profile is used.
    func profile(of model: Model, readout: Readout) throws -> UsageProfile? {
        let tuned = usageWindow != nil || usageOrder != nil || usageMethod != nil
        guard readout == .usage else {
            if !corpus.isEmpty || tuned { printError("note: --corpus and --usage-* only apply to the usage read-out") }
            return nil
        }
        guard !corpus.isEmpty else {
            if tuned { throw ValidationError("--usage-window, --usage-order and --usage-method need --corpus: the stored profile is made already") }
            guard model.usage != nil else {
                throw ValidationError("this model stores no usage profile: give the corpus (--corpus FILE) or train with the default preset")
            }
            return nil
        }
        var settings = UsageProfile.settings(for: model)
        if let usageWindow { settings.window = usageWindow }
        if let usageOrder { settings.order = usageOrder }
        if let usageMethod { settings.method = usageMethod }
        return try UsageProfile(model: model, corpusFiles: corpus, settings: settings)
    }
}
