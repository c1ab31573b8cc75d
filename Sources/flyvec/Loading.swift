import ArgumentParser
import FlyVec

/// Options for commands that take a code file or a model.
struct CodeSourceOptions: ParsableArguments {
    @Argument(help: "A code file (.flycodes) or a model (.flyvec).")
    var file: String

    @OptionGroup var code: CodeOptions

    /// The code book of the file; a model's codes are computed on the fly.
    func load() throws -> CodeBook {
        var bytes = try AtomicFile.read(file)
        if ModelFile.matches(bytes) {
            // Read again by the model reader, which frees the compressed bytes before it builds
            // the model: holding both took a default model's peak RSS to about 1 GB.
            bytes = []
            return try code.codeBook(of: try ModelFile.read(file))
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
