import ArgumentParser
import FlyVec

/// Options for commands that take a code file or a model.
struct CodeSourceOptions: ParsableArguments {
    @Argument(help: "A code file (.flycodes) or a model (.flyvec).")
    var file: String

    @OptionGroup var code: CodeOptions

    /// The code book of the file; a model's codes are computed on the fly.
    func load() throws -> CodeBook {
        switch try FlyVecFile.read(file, synapses: code.synapseLoading) {
        case .model(let model, _):
            return try code.codeBook(of: model)
        case .codes(let book, _):
            if code.k != nil || code.readout != nil || !code.usage.corpus.isEmpty {
                printError("note: -k, --readout and --corpus apply to models; \(file) holds finished codes")
            }
            return book
        }
    }
}

extension Readout: ExpressibleByArgument {}

extension CodeBook {
    /// The word a query names: as typed when the codes hold it (a pretokenized model keeps case),
    /// else lower-cased as FlyVec's tokenizer lower-cases.
    func word(matching query: String) -> String { contains(query) ? query : query.lowercased() }
}
