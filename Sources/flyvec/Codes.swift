import ArgumentParser
import FlyVec

struct Codes: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the static code of every vocabulary word of a model to a code file.")

    @Argument(help: "The model (.flyvec).")
    var model: String

    @Option(name: .shortAndLong, help: "Active bits per code. [default: \(CodeDefaults.k)]")
    var k: Int = CodeDefaults.k

    @Option(help: "Read-out: target (the reference's), context, or sum of both. [default: \(CodeDefaults.readout.rawValue)]")
    var readout: Readout = CodeDefaults.readout

    @Option(name: .shortAndLong, help: "The code file to write.")
    var output: String

    func run() throws {
        try reportingErrors("codes") {
            let m = try ModelFile.read(model)
            let book = try CodeBook(model: m, k: k, readout: readout)
            try CodeFile.write(book, to: output)
            printError("wrote \(book.count) codes of \(book.bits) bits, \(k) active (\(readout.rawValue) read-out) to \(output)")
        }
    }
}
