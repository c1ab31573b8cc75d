import ArgumentParser
import FlyVec

/// What the usage read-out reads, for every command that makes codes from a model.
struct UsageOptions: ParsableArguments {
    @Option(help: "Make the usage profile from this corpus instead of the model's stored one (repeat for several; '-' reads standard input).")
    var corpus: [String] = []

    @Option(help: "With --corpus: words around each occurrence the profile looks at, the word included. [default: the model's usage window, else its training window]")
    var usageWindow: Int?

    @Option(help: "With --corpus: 1, a word is described by the words around it; 2, by how those words are used (a second pass). [default: \(UsageProfile.defaultOrder)]")
    var usageOrder: Int?

    @Option(help: "With --corpus: strongest principal directions taken out of the profile (0: none). [default: the model's stored profile's, else as 'flyvec train']")
    var usageDirections: Int?

    @Option(help: "With --corpus: sparse (each context word adds its strongest units, or its order-1 code) or dense (whole columns, FlyVec's earlier method). [default: sparse]")
    var usageMethod: UsageSettings.Method?

    @Option(help: "With --corpus: how a co-occurring pair weighs at order 2: log-ratio (stop words count as context words) or count (count times count^-0.5, as before 2026-12-07). [default: the model's stored profile's, else log-ratio]")
    var usageWeighting: UsageSettings.Weighting?

    /// The usage profile `readout` needs: made from `--corpus` (read with the model's vocabulary
    /// and tokenizer) when given, else nil so that the model's stored profile is used.
    func profile(of model: Model, readout: Readout, progress: ProgressLine) throws -> UsageProfile? {
        let tuned = usageWindow != nil || usageOrder != nil || usageMethod != nil || usageDirections != nil || usageWeighting != nil
        guard readout == .usage else {
            if !corpus.isEmpty || tuned { printError("note: --corpus and --usage-* only apply to the usage read-out") }
            return nil
        }
        guard !corpus.isEmpty else {
            if tuned { throw ValidationError("--usage-window, --usage-order, --usage-method, --usage-directions and --usage-weighting need --corpus: the stored profile is made already") }
            guard model.usage != nil else {
                throw ValidationError("this model stores no usage profile: give the corpus (--corpus FILE) or train with the default preset")
            }
            return nil
        }
        var settings = UsageProfile.settings(for: model)
        if let usageWindow { settings.window = usageWindow }
        if let usageOrder { settings.order = usageOrder }
        if let usageMethod { settings.method = usageMethod }
        if let usageDirections { settings.directions = usageDirections }
        if let usageWeighting { settings.weighting = usageWeighting }
        let start = progress.elapsed
        let profile = try UsageProfile(model: model, corpusFiles: corpus, settings: settings) { bytes in
            progress.reading(bytes: bytes)
        }
        progress.line("usage profile from \(corpus.joined(separator: ", ")): order \(settings.order) over \(settings.window) words, \(format(progress.elapsed - start, 2)) s")
        return profile
    }
}
