import ArgumentParser
import FlyVec

/// Options for commands that take a code file or a model.
struct CodeSourceOptions: ParsableArguments {
    @Argument(help: "A code file (.flycodes) or a model (.flyvec).")
    var file: String

    @Option(name: .shortAndLong, help: "Active bits per code, when FILE is a model. [default: \(CodeDefaults.k)]")
    var k: Int?

    @Option(help: "Read-out of static codes, when FILE is a model: target, context, sum, sumz or usage (needs --corpus). [default: \(CodeDefaults.readout.rawValue)]")
    var readout: Readout?

    @OptionGroup var usage: UsageOptions

    /// The code book of the file; a model's codes are computed on the fly.
    func load() throws -> CodeBook {
        let bytes = try AtomicFile.read(file)
        if ModelFile.matches(bytes) {
            let model = try ModelFile.decode(bytes, file: file)
            return try CodeBook(model: model, k: k ?? CodeDefaults.k, readout: readout ?? CodeDefaults.readout,
                                usage: try usage.profile(of: model, readout: readout))
        }
        if CodeFile.matches(bytes) {
            if k != nil || readout != nil || !usage.corpus.isEmpty {
                printError("note: -k, --readout and --corpus apply to models; \(file) holds finished codes")
            }
            return try CodeFile.decode(bytes, file: file)
        }
        throw FlyVecError.file(file, "neither a FlyVec model nor a code file (wrong magic bytes)")
    }
}

extension Readout: ExpressibleByArgument {}

/// Runs `body`, turning library errors into one line on standard error and exit status 1.
func reportingErrors(_ command: String, _ body: () throws -> Void) throws {
    do {
        try body()
    } catch let e as ValidationError {
        throw e
    } catch let e as ExitCode {
        throw e
    } catch {
        printError("flyvec \(command): \(error)")
        throw ExitCode.failure
    }
}
