import ArgumentParser
import FlyVec

/// Runs a command's `body`, turning library errors into one line on standard error and exit status 1
/// (argument errors and exit codes pass through to ArgumentParser).
func reportingErrors(_ command: String, _ body: () throws -> Void) throws {
    do {
        try body()
    } catch let e as ValidationError {
        throw e
    } catch let e as ExitCode {
        throw e
    } catch let e as FlyVecError where e.kind == .invalidParameter && e.file == nil {
        printError("flyvec \(command): \(flag(of: e.parameter ?? "")) \(e.reason)")
        throw ExitCode.failure
    } catch {
        printError("flyvec \(command): \(error)")
        throw ExitCode.failure
    }
}

/// The option that sets a library parameter: `learningRate` is `--lr`, `k` is `-k`, others are
/// spelt in kebab case (`usage.window` is `--usage-window`, `minCount` `--min-count`).
func flag(of parameter: String) -> String {
    switch parameter {
    case "learningRate": return "--lr"
    case "k": return "-k"
    case "maxSize": return "--vocab-size"
    default:
        var out = "--"
        for c in parameter {
            if c == "." { out += "-" } else if c.isUppercase { out += "-" + c.lowercased() } else { out.append(c) }
        }
        return out
    }
}
