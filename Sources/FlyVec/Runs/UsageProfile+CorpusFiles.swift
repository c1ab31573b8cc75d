extension UsageProfile {
    /// The profile of `model`'s words over corpus files (`-` is standard input), read with the
    /// model's tokenizer and vocabulary.
    /// - Parameters:
    ///   - model: the model whose words are profiled.
    ///   - corpusFiles: plain or zstd files, read in order as one corpus.
    ///   - settings: default: the settings of the model's stored profile, else `UsageSettings`'s
    ///     defaults over the model's training window.
    ///   - progress: called now and then with the plain bytes read so far.
    public init(model: Model, corpusFiles: [String], settings: UsageSettings? = nil,
                progress: ((Int) -> Void)? = nil) throws {
        var reader = CorpusReader()
        reader.tokenizer = model.tokenizer
        reader.progress = progress
        let (_, encoded, _) = try reader.read(corpusFiles, vocabulary: model.vocabulary)
        try self.init(model: model, corpus: encoded, settings: settings ?? Self.settings(for: model))
    }

    /// The settings a profile made afresh for `model` starts from: its stored profile's, else the
    /// defaults over its training window.
    public static func settings(for model: Model) -> UsageSettings {
        model.usage?.settings ?? UsageSettings(window: model.options.window)
    }
}
