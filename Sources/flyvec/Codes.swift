import ArgumentParser
import FlyVec

extension UsageSettings.Method: ExpressibleByArgument {}
extension UsageSettings.Weighting: ExpressibleByArgument {}

struct Codes: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the static code of every vocabulary word of a model to a code file.")

    @Argument(help: "The model (.flyvec); '-' reads standard input.")
    var model: String

    @OptionGroup var code: CodeOptions

    @Option(name: .shortAndLong, help: "The code file to write.")
    var output: String

    func run() throws {
        try reportingErrors("codes") {
            let book = try code.codeBook(of: try code.model(at: model))
            try CodeFile.write(book, to: output)
            printError("wrote \(book.count) codes of \(book.bits) bits, \(book.k) active (\(book.readout.rawValue) read-out; \(CodeFile.storedBits(bits: book.bits, k: book.k)) bits a code in the file) to \(output)")
        }
    }
}
