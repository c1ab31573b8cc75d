import Foundation

/// A whole training run, as `flyvec train` does it: read the corpus (choosing the vocabulary),
/// train epoch after epoch with a checkpoint after each but the last, make the usage profile, write
/// the model, remove the checkpoint. A run resumed from a checkpoint gives the model the
/// uninterrupted run gives.
///
/// ```swift
/// var run = TrainingRun(corpus: ["corpus.txt.zst"], output: "model.flyvec")
/// run.options.hidden = 1024
/// let model = try run.run()
/// ```
public struct TrainingRun {
    /// What a run reports as it goes, in this order.
    public enum Event {
        /// Plain bytes of the corpus read so far (now and then while reading).
        case reading(bytes: Int)
        /// The corpus is read and the vocabulary chosen (or applied).
        case read(CorpusStatistics, Vocabulary)
        /// A checkpoint was loaded; training continues after its last epoch.
        case resumed(from: String, model: Model)
        /// Training starts: the model's options (the batch resolved) and the corpus's window count.
        case started(TrainingOptions, windows: Int, words: Int, threads: Int)
        case epochStarted(Int)
        /// Within an epoch, after every batch.
        case training(TrainingProgress)
        case epochFinished(EpochResult, epochs: Int, windows: Int)
        case madeUsageProfile(UsageSettings, seconds: Double)
        case wrote(String)
    }

    /// Thrown when `shouldStop` asked the run to stop: the last finished epoch's checkpoint remains.
    public struct Stopped: Error, CustomStringConvertible {
        /// The checkpoint to resume from, or nil when no epoch had finished (nothing was saved).
        public let checkpoint: String?
        /// Epochs finished and saved in `checkpoint` (0 when it is nil).
        public let epochsDone: Int

        /// One line for people: which checkpoint to resume from, or that nothing was saved.
        public var description: String {
            if let checkpoint { return "stopped: the checkpoint \(checkpoint) holds epoch \(epochsDone); resume from it" }
            return "stopped: no epoch had finished, nothing was saved"
        }
    }

    /// Corpus files, plain UTF-8 or zstd; `-` is standard input.
    public var corpus: [String]
    /// Where the model goes; the checkpoints go to `checkpoint`.
    public var output: String
    /// How the corpus is tokenized and how the vocabulary is chosen. On resume only its progress
    /// and spill settings are used: the checkpoint's tokenizer and vocabulary read the corpus.
    /// Its progress is called as well as `report`'s `reading` event; its spill settings are also
    /// the trainer's.
    public var reader = CorpusReader()
    /// Use this vocabulary instead of choosing one from the counts.
    public var vocabulary: Vocabulary?
    /// The hyper-parameters (ignored on resume: the checkpoint's are used).
    public var options = TrainingOptions()
    /// Worker threads; the model does not depend on their number.
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    /// How the model's synapses are stored; nil: float16 when the model has a usage profile and
    /// every synapse fits half precision, else float32. Checkpoints are always float32.
    public var precision: ModelFile.Precision?
    /// Continue from this checkpoint instead of starting afresh.
    public var resume: String?
    /// Asked between batches; returning true stops the run, which then throws `Stopped`.
    public var shouldStop: () -> Bool = { false }
    /// Receives the run's events (on the calling thread).
    public var report: (Event) -> Void = { _ in }

    /// A run that reads `corpus` and writes the model to `output`, every other setting at its default.
    public init(corpus: [String], output: String) {
        self.corpus = corpus
        self.output = output
    }

    /// The checkpoint written after every epoch but the last.
    public var checkpoint: String { output + ".checkpoint" }

    /// Trains, writes `output` and returns the model.
    /// - Throws: `Stopped` when `shouldStop` said so; `FlyVecError` for bad
    ///   settings and input.
    public func run() throws -> Model {
        guard threads >= 1 else { throw FlyVecError.parameter("threads", "must be at least 1 (got \(threads))") }
        let clock = ContinuousClock()
        var reader = reader
        let report = report
        let callerProgress = reader.progress
        reader.progress = { bytes in
            callerProgress?(bytes)
            report(.reading(bytes: bytes))
        }
        var model: Model
        let windows: Windows
        if let resume {
            let saved = try ModelFile.read(resume)
            reader.tokenizer = saved.tokenizer
            let (_, encoded, _) = try reader.read(corpus, vocabulary: saved.vocabulary)
            model = saved
            windows = try Self.windows(of: encoded, options: saved.options, words: saved.vocabulary.count)
            report(.resumed(from: resume, model: saved))
        } else {
            try options.validate()
            let (vocabulary, encoded, stats) = try reader.read(corpus, vocabulary: vocabulary)
            if vocabulary.count <= 2 {
                if self.vocabulary != nil { throw FlyVecError(.invalidInput, "the vocabulary given has no word") }
                throw FlyVecError.parameter("minCount", "is \(reader.vocabulary.minCount), and no word is seen that often: the vocabulary is empty")
            }
            report(.read(stats, vocabulary))
            windows = try Self.windows(of: encoded, options: options, words: vocabulary.count)
            model = Model(vocabulary: vocabulary, options: options.resolved(windows: windows.count), tokenizer: reader.tokenizer)
        }
        let options = model.options
        let trainer = try Trainer(synapses: model.synapses, windows: windows, counts: model.vocabulary.counts,
                                  options: options, threads: threads)
        trainer.spillBytes = reader.spillBytes
        trainer.spillDirectory = reader.spillDirectory
        // Where the last finished epoch is: the checkpoint resumed from, until this run writes one.
        var lastCheckpoint = resume
        report(.started(options, windows: windows.count, words: model.vocabulary.count, threads: threads))
        while !model.isComplete {
            let epoch = model.epochsDone
            report(.epochStarted(epoch))
            guard let result = try trainer.trainEpoch(epoch, progress: { report(.training($0)) }, shouldStop: shouldStop) else {
                throw Stopped(checkpoint: model.epochsDone > 0 ? lastCheckpoint : nil, epochsDone: model.epochsDone)
            }
            model.finish(result)
            report(.epochFinished(result, epochs: options.epochs, windows: windows.count))
            if !model.isComplete {
                try ModelFile.write(model, to: checkpoint)
                lastCheckpoint = checkpoint
            }
        }
        if let settings = options.usage {
            let start = clock.now
            try model.attach(try UsageProfile(model: model, corpus: windows.corpus, settings: settings, threads: threads))
            report(.madeUsageProfile(settings, seconds: (clock.now - start).seconds))
        }
        let half = model.usage != nil && ModelFile.fitsHalfPrecision(model.synapses)
        try ModelFile.write(model, to: output, precision: precision ?? (half ? .float16 : .float32))
        if FileManager.default.fileExists(atPath: checkpoint) { try? FileManager.default.removeItem(atPath: checkpoint) }
        report(.wrote(output))
        return model
    }

    private static func windows(of corpus: EncodedCorpus, options: TrainingOptions, words: Int) throws -> Windows {
        let windows = try Windows(corpus: corpus, width: options.window, vocabularySize: words)
        if windows.count == 0 {
            throw FlyVecError(.invalidInput, "the corpus has no full window: no sentence has \(options.window) tokens")
        }
        return windows
    }
}
