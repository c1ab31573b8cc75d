import Testing
import FlyVec

@Suite struct TrainerTests {
    struct Setup {
        let vocabulary: Vocabulary
        let windows: Windows
        var options: TrainingOptions
    }

    func setup(hidden: Int = 20, window: Int = 5, batch: Int = 64, seed: UInt64 = 5, words: Int = 40) throws -> Setup {
        let (v, corpus, _) = try encode(randomText(words: words, sentences: 400, length: 3...14, seed: seed),
                                        stopWords: ["wa", "wb"])
        var o = TrainingOptions.classic
        o.hidden = hidden
        o.window = window
        o.batch = batch
        o.sigma = 0.1
        o.seed = seed
        return Setup(vocabulary: v, windows: try Windows(corpus: corpus, width: window, vocabularySize: v.count), options: o)
    }

    /// Trains `batches` minibatches with both the fast trainer and the dense oracle; returns the
    /// largest weight difference and whether every batch had the same winners.
    func compare(_ s: Setup, threads: Int, batches: Int, lr: Double) throws -> (maxDiff: Double, normDiff: Double, scans: Int) {
        let syn = Synapses(units: s.options.hidden, inputs: 2 * s.vocabulary.count, sigma: s.options.sigma, seed: s.options.seed)
        var oracle = ReferenceTrainer(from: syn, counts: s.vocabulary.counts, p: s.options.p, delta: s.options.delta,
                                      frequencyPower: s.options.frequencyPower)
        let trainer = try Trainer(synapses: syn, windows: s.windows, counts: s.vocabulary.counts, options: s.options, threads: threads)
        let order = s.windows.shuffledStarts(seed: 1, epoch: 0)
        var normDiff = 0.0
        var scans = 0
        for b in 0..<batches {
            let slice = Array(order[(b * s.options.batch)..<((b + 1) * s.options.batch)])
            let fast = trainer.trainBatch(slice, learningRate: Float(lr))
            let slow = oracle.batch(slice.map { s.windows.rows(at: Int($0)) }, learningRate: lr)
            if fast.scanned { scans += 1 }
            normDiff = max(normDiff, abs(Double(fast.normaliser) - slow.normaliser) / slow.normaliser)
        }
        var maxDiff = 0.0
        for u in 0..<syn.units {
            for i in 0..<syn.inputs { maxDiff = max(maxDiff, abs(Double(syn.weight(unit: u, input: i)) - oracle.W[u][i])) }
        }
        return (maxDiff, normDiff, scans)
    }

    /// Whole epochs against the oracle: each epoch's seeded order, its batches with a partial last
    /// one, the learning rate decaying per epoch, the scales folded back at the end of each epoch,
    /// and the epoch's mean energy.
    @Test(arguments: [1, 2])
    func epochsMatchTheDenseOracle(threads: Int) throws {
        var s = try setup(hidden: 12, batch: 64)
        s.options.epochs = 3
        s.options.learningRate = 0.05
        #expect(s.windows.count % s.options.batch != 0, "no partial batch")
        let syn = Synapses(units: s.options.hidden, inputs: 2 * s.vocabulary.count, sigma: s.options.sigma, seed: s.options.seed)
        var oracle = ReferenceTrainer(from: syn, counts: s.vocabulary.counts, frequencyPower: s.options.frequencyPower)
        let trainer = try Trainer(synapses: syn, windows: s.windows, counts: s.vocabulary.counts, options: s.options, threads: threads)
        for epoch in 0..<s.options.epochs {
            let result = try #require(try trainer.trainEpoch(epoch))
            let rate = 0.05 * (1 - Double(epoch) / 3)
            let order = s.windows.shuffledStarts(seed: s.options.seed, epoch: epoch)
            var energy = 0.0
            for lo in stride(from: 0, to: order.count, by: s.options.batch) {
                let batch = order[lo..<min(lo + s.options.batch, order.count)]
                energy += oracle.batch(batch.map { s.windows.rows(at: Int($0)) }, learningRate: rate).energy
            }
            energy /= Double(order.count)
            #expect(abs(result.energy - energy) <= 1e-5 * abs(energy), "epoch \(epoch): energy \(result.energy) against \(energy)")
            #expect(syn.scalesAreFolded, "epoch \(epoch): scales not folded")
            var maxDiff = 0.0
            for u in 0..<syn.units {
                for i in 0..<syn.inputs { maxDiff = max(maxDiff, abs(Double(syn.weight(unit: u, input: i)) - oracle.W[u][i])) }
            }
            #expect(maxDiff < 1e-5, "epoch \(epoch): max weight difference \(maxDiff)")
        }
    }

    @Test(arguments: [1, 2, 3])
    func fastTrainerMatchesDenseOracle(threads: Int) throws {
        let s = try setup()
        let r = try compare(s, threads: threads, batches: 12, lr: 0.05)
        // Float against Double over 12 batches: weights are O(0.1–1), steps at most 0.05.
        #expect(r.maxDiff < 1e-6, "max weight difference \(r.maxDiff)")
        #expect(r.normDiff < 1e-6, "normaliser relative difference \(r.normDiff)")
        // Both ways of settling max |ds| (the bound, and the scan) were exercised.
        #expect(r.scans > 0 && r.scans < 12, "\(r.scans) scans")
    }

    /// Many batches at a large rate, so column leaders change hands often: the bound that leaves a
    /// leader out must never hide the true max |ds|.
    @Test(arguments: [1, 2])
    func normaliserStaysExactOverManyBatches(threads: Int) throws {
        let s = try setup(hidden: 16, batch: 16, seed: 9, words: 30)
        #expect(s.windows.count >= 80 * 16)
        let r = try compare(s, threads: threads, batches: 80, lr: 0.3)
        #expect(r.normDiff < 1e-5, "normaliser relative difference \(r.normDiff)")
        #expect(r.maxDiff < 1e-5, "max weight difference \(r.maxDiff)")
        #expect(r.scans < 80, "\(r.scans) scans")
    }

    @Test func antiHebbianAndPNormMatchTheOracle() throws {
        var s = try setup(hidden: 12)
        var o = s.options
        o.delta = 0.3
        o.p = 3
        o.frequencyPower = 0.75
        s = Setup(vocabulary: s.vocabulary, windows: s.windows, options: o)
        let r = try compare(s, threads: 2, batches: 8, lr: 0.05)
        #expect(r.maxDiff < 1e-6, "max weight difference \(r.maxDiff)")
    }

    @Test func modelDoesNotDependOnThreadCount() throws {
        let s = try setup(hidden: 48, batch: 100)
        var results: [[Float]] = []
        var energies: [[Double]] = []
        for threads in [1, 2, 4] {
            let syn = Synapses(units: 48, inputs: 2 * s.vocabulary.count, sigma: 0.02, seed: 3)
            var o = s.options
            o.epochs = 2
            let t = try Trainer(synapses: syn, windows: s.windows, counts: s.vocabulary.counts, options: o, threads: threads)
            energies.append(try (0..<2).map { try t.trainEpoch($0)!.energy })
            results.append((0..<syn.inputs).flatMap { syn.row($0) })
        }
        #expect(results[0] == results[1])
        #expect(results[0] == results[2])
        #expect(energies[0] == energies[1])
    }

    @Test func energyFallsAndPlantedTopicsSeparate() throws {
        // Two topics with disjoint vocabularies, one topic per sentence.
        var rng = SplitMix64(seed: 21)
        var lines: [String] = []
        for s in 0..<1500 {
            let topic = s % 2 == 0 ? "x" : "y"
            lines.append((0..<10).map { _ in "\(topic)\(letters(Int(rng.next(below: 12))))" }.joined(separator: " "))
        }
        let (v, corpus, _) = try encode(lines.joined(separator: "\n"))
        var o = TrainingOptions.classic
        o.hidden = 16
        o.window = 5
        o.batch = 500
        o.epochs = 6
        o.learningRate = 0.1
        let windows = try Windows(corpus: corpus, width: 5, vocabularySize: v.count)
        let model = Model(vocabulary: v, options: o, tokenizer: TokenizerOptions())
        let t = try Trainer(synapses: model.synapses, windows: windows, counts: v.counts, options: o, threads: 2)
        let energies = try (0..<o.epochs).map { try t.trainEpoch($0)!.energy }
        for e in 1..<energies.count { #expect(energies[e] < energies[e - 1], "energy \(energies)") }
        // The units that win for topic-x words and those for topic-y words are disjoint.
        let syn = model.synapses
        func topUnit(_ w: String) -> Int {
            let row = syn.row(v.count + v.id(of: w)!)
            return row.indices.max { row[$0] < row[$1] }!
        }
        let xs = Set(v.words.filter { $0.hasPrefix("x") }.map(topUnit))
        let ys = Set(v.words.filter { $0.hasPrefix("y") }.map(topUnit))
        #expect(xs.isDisjoint(with: ys), "x units \(xs), y units \(ys)")
    }

    @Test func impossibleSettingsAreRejectedUpFront() throws {
        let s = try setup()
        for change in [{ (o: inout TrainingOptions) in o.window = 2 }, { $0.hidden = 1 }, { $0.batch = 0 },
                       { $0.epochs = 0 }, { $0.learningRate = 0 }, { $0.learningRate = -1 }, { $0.window = 7 }] {
            var o = s.options
            change(&o)
            #expect(throws: FlyVecError.self) {
                try Trainer(synapses: Synapses(units: o.hidden, inputs: 2 * s.vocabulary.count), windows: s.windows,
                            counts: s.vocabulary.counts, options: o, threads: 1)
            }
        }
    }
}
