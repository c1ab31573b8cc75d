import ArgumentParser
import FlyVec

/// How static (and contextual) codes are read out of a model.
struct CodeOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Active bits per code. [default: \(CodeDefaults.logRatioK) for usage with a log-ratio profile (K/8 under K 512), \(CodeDefaults.usageK) with a count-weighted one (K/16), \(CodeDefaults.k) for the others]")
    var k: Int?

    @Option(help: "Read-out: target (the reference's), context, sum of both, sumz (sum z-scored per unit), or usage (the model's stored profile, or one made from --corpus). [default: usage when the model stores a profile, else \(CodeDefaults.readout.rawValue)]")
    var readout: Readout?

    @OptionGroup var usage: UsageOptions

    /// What of a model's synapses these codes need: none when they come from its stored usage
    /// profile, the strongest context synapses for a sparse profile made from a corpus.
    var synapseLoading: ModelFile.SynapseLoading {
        if let readout, readout != .usage { return .all }
        if usage.corpus.isEmpty { return .unlessProfiled }
        // Without --readout, a model that stores no profile is read out by `sum`.
        return readout == .usage && usage.usageMethod != .dense ? .strongestContext : .all
    }

    /// The model at `path`, with what of its synapses these codes need.
    func model(at path: String) throws -> Model { try ModelFile.read(path, synapses: synapseLoading) }

    func hasher(of model: Model, progress: ProgressLine = .forQueries()) throws -> WordHasher {
        let r = readout ?? CodeDefaults.readout(for: model)
        return try WordHasher(model: model, k: k, readout: r, usage: try usage.profile(of: model, readout: r, progress: progress))
    }

    func codeBook(of model: Model, progress: ProgressLine = .forQueries()) throws -> CodeBook {
        let book = try CodeBook(hasher: try hasher(of: model, progress: progress)) { progress.coding($0, of: $1) }
        progress.clear()
        return book
    }
}
