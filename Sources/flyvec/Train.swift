import ArgumentParser
import FlyVec
import FlyVecMPI
import Foundation

extension ModelFile.Precision: ExpressibleByArgument {}

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a model on a corpus and write it as one file.",
        discussion: """
            Builds the vocabulary (or takes --vocab), encodes the corpus once, trains the synapses with the \
            minibatch winner-take-all rule, makes the usage profile and writes the model. A checkpoint is written \
            atomically after every epoch but the last (OUTPUT.checkpoint); --resume continues from one. Ctrl-C \
            stops after the current batch; the last epoch's checkpoint remains.

            Under mpirun (Open MPI), every process reads its share of the corpus files and the processes train \
            one model together, the one a single process trains; rank 0 writes it and the checkpoints: \
            mpirun -np 4 --bind-to none flyvec train CORPUS... -o m.flyvec --threads 8 (docs/SCALE.md).
            """)

    @OptionGroup var corpus: CorpusOptions

    @Option(name: .shortAndLong, help: "The model file to write.")
    var output: String

    @Option(help: "Use this vocabulary TSV instead of counting.")
    var vocab: String?

    @Option(help: "Starting settings: flyvec (K 2048, one epoch, a stored log-ratio usage profile without the principal directions that stand out), count-weights (a count-weighted profile without its K/128 strongest directions: the defaults before 2026-12-07), whole-profile (count weights and the whole profile: the defaults before 2026-12-06), classic (FlyVec's earlier defaults: K 400, 5 epochs, f = 1/count), reference (the reference trainer's exactly) or wide (K 4096, one epoch, no stored profile).")
    var preset: Preset = .flyvec

    @Option(help: "Hidden units K. [default: 2048; classic and reference 400]")
    var hidden: Int?
    @Option(help: "Tokens per window w. [default: 7; reference 11]")
    var window: Int?
    @Option(help: "Windows per minibatch. [default: windows/350 within 1000…10000; reference 10000]")
    var batch: Int?
    @Option(help: "Epochs. [default: 1; classic 5; reference 15]")
    var epochs: Int?
    @Option(help: "Initial learning rate, decaying linearly per epoch. [default: 0.1; reference 2e-4]")
    var lr: Double?
    @Option(help: "Standard deviation of the initial synapses. [default: 0.02]")
    var sigma: Double?
    @Option(help: "Seed of the initial synapses and of the shuffles. [default: 1]")
    var seed: UInt64?
    @Option(help: "Krotov–Hopfield p-norm of the drive. [default: 2]")
    var p: Double?
    @Option(help: "Anti-Hebbian strength on the second-ranked unit. [default: 0]")
    var delta: Double?
    @Option(help: "Frequency normalisation f = count^-power. [default: 0.75; classic and reference 1]")
    var frequencyPower: Double?
    @Option(help: "Words around each occurrence the stored usage profile looks at, the word included. [default: 11]")
    var usageWindow: Int?
    @Option(help: "Order of the stored usage profile: 1 or 2. [default: 2]")
    var usageOrder: Int?
    @Option(help: "Strongest principal directions taken out of the stored usage profile (0: none, as before 2026-12-06). [default: log-ratio weights, those of the K/64 (at most 32) strongest over 10 times the average direction's variance; count weights, K/128]")
    var usageDirections: Int?
    @Option(help: "How a co-occurring pair weighs in the stored order-2 profile: log-ratio (stop words count as context words) or count (count times count^-0.5, as before 2026-12-07). [default: log-ratio]")
    var usageWeighting: UsageSettings.Weighting?
    @Flag(help: "Store no usage profile (the codes then default to the sum read-out).")
    var noUsageProfile = false
    @Option(help: "Precision of the model's synapses: float16 (half the size) or float32. Checkpoints are always float32. [default: float16 with a usage profile, else float32]")
    var precision: ModelFile.Precision?
    @Option(help: "Worker threads (the model does not depend on it).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Continue from this checkpoint (its vocabulary and settings are used).")
    var resume: String?

    @Flag(help: "No progress line.")
    var quiet = false

    @Flag(help: "Print a summary of the run as JSON on standard output once the model is written.")
    var json = false

    func trainingOptions() throws -> TrainingOptions {
        var o = preset.options
        if let hidden { o.hidden = hidden }
        if let window { o.window = window }
        if let batch { o.batch = batch }
        if let epochs { o.epochs = epochs }
        if let lr { o.learningRate = lr }
        if let sigma { o.sigma = sigma }
        if let seed { o.seed = seed }
        if let p { o.p = p }
        if let delta { o.delta = delta }
        if let frequencyPower { o.frequencyPower = frequencyPower }
        if noUsageProfile {
            o.usage = nil
        } else if usageWindow != nil || usageOrder != nil || usageDirections != nil || usageWeighting != nil {
            var u = o.usage ?? UsageSettings()
            if let usageWindow { u.window = usageWindow }
            if let usageOrder { u.order = usageOrder }
            if let usageDirections { u.directions = usageDirections }
            if let usageWeighting { u.weighting = usageWeighting }
            o.usage = u
        }
        try o.validate()
        return o
    }

    func run() throws {
        var cluster: MPICluster?
        try reportingErrors("train") { cluster = try MPICluster.joinIfLaunched() }
        let name = cluster.map { "train (rank \($0.rank) of \($0.size))" } ?? "train"
        do {
            try reportingErrors(name) { try train(cluster: cluster) }
        } catch let code as ExitCode where code != ExitCode(130) {
            // The other ranks would wait for this one forever: the whole job ends.
            cluster?.abort(code: code.rawValue)
            throw code
        }
        cluster?.finish()
    }

    private func train(cluster: MPICluster?) throws {
        let root = (cluster?.rank ?? 0) == 0
        let progress = ProgressLine(quiet: quiet || !root)
        var run = TrainingRun(corpus: corpus.corpus, output: output)
        if let cluster, cluster.size > 1 {
            run.cluster = cluster
            // The other ranks on rank 0's machine wait while it makes the profile: it uses their threads too.
            let local = ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_LOCAL_SIZE"].flatMap { Int($0) } ?? 1
            run.profileThreads = threads * max(local, 1)
        }
        run.reader = try corpus.reader()
        run.threads = threads
        run.precision = precision
        if let resume {
            let given: [Any?] = [hidden, window, batch, epochs, lr, sigma, seed, p, delta, frequencyPower, vocab, usageWindow, usageOrder, usageDirections]
            if given.contains(where: { $0 != nil }) || preset != .flyvec || noUsageProfile {
                progress.line("note: --resume continues with the checkpoint's own settings; the training options given are ignored")
            }
            run.resume = resume
        } else {
            run.options = try trainingOptions()
            run.vocabulary = try vocab.map { try Vocabulary.read(tsvAt: $0, stopWords: try corpus.stopWordList()) }
        }
        run.shouldStop = { Interrupt.requested }
        progress.readingTotal = ByteSource.plainSize(of: corpus.corpus)
        var corpusJSON: JSONOutput.Corpus?
        var windows = 0
        run.report = { event in
            // Ctrl-C stops between batches once training runs; before, it ends the process.
            if case .started = event { Interrupt.install() }
            progress.show(event)
            if case .read(let stats, let vocabulary) = event { corpusJSON = JSONOutput.Corpus(stats, vocabulary, seconds: progress.elapsed) }
            if case .started(_, let count, _, _) = event { windows = count }
        }
        do {
            let model = try run.run()
            if json && root {
                try printJSON(JSONOutput.Train(output: output, corpus: corpusJSON, options: model.options, windows: windows,
                                        history: model.history, usageProfile: model.usage?.settings, seconds: progress.elapsed))
            }
        } catch let stopped as TrainingRun.Stopped {
            let last = stopped.checkpoint.map { "the checkpoint \($0) holds epoch \(stopped.epochsDone); continue with --resume \($0)" }
            if root { progress.line("interrupted: \(last ?? "no epoch had finished, nothing was saved")") }
            throw ExitCode(130)
        }
    }
}
