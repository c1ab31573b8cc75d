import ArgumentParser
import FlyVec

@main
struct FlyVecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flyvec",
        abstract: "Sparse binary word embeddings learned with the fruit-fly network motif.",
        version: "0.1.0",
        subcommands: [Vocab.self, Train.self, Codes.self, Nearest.self, Similarity.self, Context.self, Export.self, Info.self, Eval.self, Tokenize.self, PhrasesCommand.self, IndexCommand.self, SearchCommand.self])
}
