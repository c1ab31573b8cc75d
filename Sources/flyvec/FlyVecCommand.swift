import ArgumentParser
import FlyVec
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@main
struct FlyVecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flyvec",
        abstract: "Sparse binary word embeddings learned with the fruit-fly network motif.",
        version: "0.1.0",
        subcommands: [Vocab.self, Train.self, Codes.self, Nearest.self, Similarity.self, Context.self, Export.self, Info.self, Eval.self, Tokenize.self, PhrasesCommand.self, IndexCommand.self, SearchCommand.self])

    static func main() {
        // A write past the file-size limit (`ulimit -f`) then fails as a write naming its file,
        // instead of the signal ending the process without a word.
        signal(SIGXFSZ, SIG_IGN)
        main(nil)
    }
}
