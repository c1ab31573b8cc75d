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
            let book = try CodeBook(model: m, k: code.k, readout: code.readout)
            try CodeFile.write(book, to: output)
            printError("wrote \(book.count) codes of \(book.bits) bits, \(code.k) active (\(code.readout.rawValue) read-out) to \(output)")
        }
    }
}

/// How static (and contextual) codes are read out of a model.
struct CodeOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Active bits per code.")
    var k: Int = CodeDefaults.k

    @Option(help: "Read-out: target (the reference's), context, or sum of both.")
    var readout: Readout = CodeDefaults.readout
}
