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
        /// With a cluster, after each epoch: what this rank exchanged with the others in it.
        case exchanged(ExchangeCounts, ranks: Int)
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
    /// Threads for the usage profile, made on rank 0 alone under a cluster (nil: `threads`).
    /// Ranks sharing rank 0's machine are idle then, so their cores can serve it.
    public var profileThreads: Int?
    /// How the model's synapses are stored; nil: float16 when the model has a usage profile and
    /// every synapse fits half precision, else float32. Checkpoints are always float32.
    public var precision: ModelFile.Precision?
    /// Continue from this checkpoint instead of starting afresh.
    public var resume: String?
    /// The processes training together (`mpirun -np N`), or nil for this process alone. Every
    /// rank reads its share of the corpus and trains the same model; only rank 0 reads the
    /// checkpoint resumed from, writes checkpoints, makes the usage profile and writes the model.
    /// The model is the one a single process trains with the same settings, bit for bit.
    public var cluster: Cluster?
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
        let saved = try resume.map { try Self.readCheckpoint($0, cluster: cluster) }
        if let saved {
            reader.tokenizer = saved.tokenizer
        } else {
            try options.validate()
        }
        let share = try reader.read(corpus, vocabulary: saved?.vocabulary ?? vocabulary, cluster: cluster)
        if saved == nil {
            if share.vocabulary.count <= 2 {
                if self.vocabulary != nil { throw FlyVecError(.invalidInput, "the vocabulary given has no word") }
                throw FlyVecError.parameter("minCount", "is \(reader.vocabulary.minCount), and no word is seen that often: the vocabulary is empty")
            }
            report(.read(share.statistics, share.vocabulary))
        }
        let window = saved?.options.window ?? options.window
        let windows = try Windows(corpus: share.corpus, width: window, vocabularySize: share.vocabulary.count)
        var training: TrainingShare?
        var windowCount = windows.count
        if let cluster {
            windowCount = try cluster.sum([windows.count])[0]
            training = TrainingShare(cluster: cluster, tokenStarts: share.tokenStarts, windows: windowCount)
        }
        if windowCount == 0 {
            throw FlyVecError(.invalidInput, "the corpus has no full window: no sentence has \(window) tokens")
        }
        var model: Model
        if let saved, let resume {
            model = saved
            report(.resumed(from: resume, model: saved))
        } else {
            model = try Model(vocabulary: share.vocabulary, options: options.resolved(windows: windowCount), tokenizer: reader.tokenizer)
        }
        let writes = (cluster?.rank ?? 0) == 0
        let options = model.options
        let trainer = try Trainer(synapses: model.synapses, windows: windows, counts: model.vocabulary.counts,
                                  options: options, threads: threads, share: training)
        trainer.spillBytes = reader.spillBytes
        trainer.spillDirectory = reader.spillDirectory
        // Where the last finished epoch is: the checkpoint resumed from, until this run writes one.
        var lastCheckpoint = resume
        report(.started(options, windows: windowCount, words: model.vocabulary.count, threads: threads))
        while !model.isComplete {
            let epoch = model.epochsDone
            report(.epochStarted(epoch))
            guard let result = try trainer.trainEpoch(epoch, progress: { report(.training($0)) }, shouldStop: shouldStop) else {
                throw Stopped(checkpoint: model.epochsDone > 0 ? lastCheckpoint : nil, epochsDone: model.epochsDone)
            }
            model.finish(result)
            report(.epochFinished(result, epochs: options.epochs, windows: windowCount))
            if let cluster {
                report(.exchanged(trainer.exchanged, ranks: cluster.size))
                trainer.exchanged = ExchangeCounts()
            }
            if !model.isComplete && writes {
                try ModelFile.write(model, to: checkpoint)
                lastCheckpoint = checkpoint
            }
        }
        var whole: EncodedCorpus? = windows.corpus
        // The profile reads the whole corpus: rank 0 gathers the other shares' ids.
        if let cluster, options.usage != nil { whole = try Self.gatherCorpus(share, cluster: cluster, reader: reader) }
        guard writes else { return model }
        if let settings = options.usage, let whole {
            let start = clock.now
            try model.attach(try UsageProfile(model: model, corpus: whole, settings: settings, threads: profileThreads ?? threads))
            report(.madeUsageProfile(settings, seconds: (clock.now - start).seconds))
        }
        let half = model.usage != nil && ModelFile.fitsHalfPrecision(model.synapses)
        try ModelFile.write(model, to: output, precision: precision ?? (half ? .float16 : .float32))
        if FileManager.default.fileExists(atPath: checkpoint) { try? FileManager.default.removeItem(atPath: checkpoint) }
        report(.wrote(output))
        return model
    }

    /// The checkpoint at `path`, read by rank 0 and sent to the others (whose disks need not hold it).
    private static func readCheckpoint(_ path: String, cluster: Cluster?) throws -> Model {
        guard let cluster, cluster.size > 1 else { return try ModelFile.read(path) }
        var bytes: [UInt8] = []
        var failure: Error?
        if cluster.rank == 0 {
            do { bytes = try AtomicFile.read(path) } catch { failure = error }
        }
        // A rank 0 that cannot read it says so to every rank, so that all of them stop.
        if try cluster.any(failure != nil) { throw failure ?? FlyVecError(.cannotRead, "rank 0 cannot read the checkpoint", file: path) }
        return try ModelFile.decode(try cluster.broadcast(bytes, root: 0), file: path)
    }

    /// The whole corpus on rank 0 (nil on the others): every share's ids and sentence ends, in
    /// rank order, the ends moved to whole-corpus positions.
    private static func gatherCorpus(_ share: CorpusReader.Share, cluster: Cluster, reader: CorpusReader) throws -> EncodedCorpus? {
        let root = cluster.rank == 0
        let ids = IdBuffer(spillBytes: reader.spillBytes, directory: reader.spillDirectory)
        let ends = IdBuffer(spillBytes: reader.spillBytes, directory: reader.spillDirectory)
        let none = UnsafeMutableRawBufferPointer(start: nil, count: 0)
        try share.corpus.withIds { mine in
            _ = try cluster.allGatherLarge(UnsafeRawBufferPointer(mine), toRoot: true) { total in
                root ? UnsafeMutableRawBufferPointer(try ids.extend(by: total / 4)) : none
            }
        }
        let base = UInt32(share.tokenStarts[cluster.rank])
        let moved = share.corpus.sentenceEnds.map { $0 + base }
        _ = try moved.withUnsafeBytes { mine in
            try cluster.allGatherLarge(mine, toRoot: true) { total in
                root ? UnsafeMutableRawBufferPointer(try ends.extend(by: total / 4)) : none
            }
        }
        return root ? EncodedCorpus(storage: ids, sentenceEnds: ends) : nil
    }
}
