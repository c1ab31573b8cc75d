import ArgumentParser
import FlyVec

/// Options for commands that take a code file or a model.
struct CodeSourceOptions: ParsableArguments {
    @Argument(help: "A code file (.flycodes) or a model (.flyvec).")
    var file: String

    @OptionGroup var code: CodeOptions

    /// The code book of the file; a model's codes are computed on the fly.
    func load() throws -> CodeBook {
        let bytes = try AtomicFile.read(file)
        if ModelFile.matches(bytes) {
            return try code.codeBook(of: try ModelFile.decode(consume bytes, file: file))
        }
        if CodeFile.matches(bytes) {
            if code.k != nil || code.readout != nil || !code.usage.corpus.isEmpty {
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
