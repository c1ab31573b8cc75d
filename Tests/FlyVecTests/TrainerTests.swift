import CFlyVecSupport
import Foundation
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
        let syn = try Synapses(units: s.options.hidden, inputs: 2 * s.vocabulary.count, sigma: s.options.sigma, seed: s.options.seed)
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
        let syn = try Synapses(units: s.options.hidden, inputs: 2 * s.vocabulary.count, sigma: s.options.sigma, seed: s.options.seed)
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

    /// The initial synapses: the j-th draw of unit u's stream (counted from u·⌈inputs/2⌉ in the
    /// generator's stream 0x1417) gives inputs 2j and 2j + 1, as the portable kernel makes them from
    /// that one generator: for a few units and an odd input count, and for 600 units over 300
    /// inputs (drawn by 4 parts, each from its own offsets).
    @Test(arguments: [(37, 211), (600, 300)])
    func initialSynapsesAreTheDrawsOfEachUnit(units: Int, inputs: Int) throws {
        let sigma: Float = 0.02
        let syn = try Synapses(units: units, inputs: inputs, sigma: Double(sigma), seed: 9)
        let first = SplitMix64(seed: 9, stream: 0x1417)
        let pairs = (inputs + 1) / 2
        var wrong = 0
        for u in 0..<units {
            for j in 0..<pairs {
                var state = [first.skipping(UInt64(u * pairs + j)).state]
                var a: Float = 0, b: Float = 0
                flyvec_gaussian_pairs(&state, 1, sigma, &a, &b, 0)
                if syn.weight(unit: u, input: 2 * j).bitPattern != a.bitPattern { wrong += 1 }
                if 2 * j + 1 < inputs, syn.weight(unit: u, input: 2 * j + 1).bitPattern != b.bitPattern { wrong += 1 }
            }
        }
        #expect(wrong == 0)
    }

    /// The vector level the kernels report against the CPU's flags as Linux lists them, so that
    /// the tests' `vector` 2 is known to reach the AVX-512 paths where the CPU has them.
    @Test func vectorLevelFollowsTheCPU() throws {
        #if os(Linux) && arch(x86_64)
        let info = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flags = Set(info.split(separator: "\n").first { $0.hasPrefix("flags") }?.split(separator: " ").map(String.init) ?? [])
        let avx2 = flags.contains("avx2") && flags.contains("fma")
        let expected: Int32 = avx2 && flags.contains("avx512f") && flags.contains("avx512dq") ? 2 : avx2 ? 1 : 0
        #expect(flyvec_vector_level() == expected, "flags: avx2+fma \(avx2), avx512f \(flags.contains("avx512f")), avx512dq \(flags.contains("avx512dq"))")
        #endif
    }

    /// The smallest half-precision value at least x, from Swift's rounding to nearest.
    static func halfAtLeast(_ x: Float) -> Float16 {
        let h = Float16(x)
        return Float(h) >= x ? h : h.nextUp
    }

    /// Rounding up to half precision (both paths) against `halfAtLeast`, and the block maxima kernel
    /// (both paths) against the largest of each block rounded so: values of every magnitude, from
    /// half's subnormals past its largest value, and exact halves.
    @Test(arguments: [0, 1])
    func halfBoundsRoundUp(vector: Int32) {
        var rng = SplitMix64(seed: 12)
        let smallestNormal: Float = 6.1035156e-05, smallestSubnormal: Float = 5.9604645e-08, one: Float = 1
        var values: [Float] = [0, -0.0, 65504, 65505, 65520, 65536, 1e6, -65504, -65505, -1e6, smallestNormal, smallestNormal.nextDown,
                               smallestSubnormal, smallestSubnormal.nextUp, 1e-10, -1e-10, one, one.nextUp, one.nextDown, -one.nextUp]
        for _ in 0..<20_000 {
            let sign: Float = rng.next(below: 2) == 0 ? 1 : -1
            values.append(sign * Float(pow(2.0, Double(rng.nextUnit()) * 46 - 30)))
            values.append(Float(Float16(bitPattern: UInt16(rng.next(below: 0x7C00)))) * sign)
        }
        var out = [UInt16](repeating: 0, count: values.count)
        flyvec_halves_at_least(&out, values, values.count, vector)
        let wrong = values.indices.filter { out[$0] != Self.halfAtLeast(values[$0]).bitPattern }
        #expect(wrong.count == 0, "first at \(wrong.first.map { values[$0] } ?? 0)")
        var raised = Self.halfAtLeast(-3).bitPattern
        for v: Float in [-5, -2.5, 1e-9, 0.5, 0.25, 70_000] {
            flyvec_raise_half_bound(&raised, v)
            #expect(Float(Float16(bitPattern: raised)) >= v)
        }
        #expect(raised == Float16.infinity.bitPattern)
        let (stride, rows, outStride) = (48 * 16, 7, 64)
        let storage = (0..<(stride * rows)).map { i in values[i % values.count] * (i % 7 == 0 ? 1e-3 : 1) }
        var maxima = [UInt16](repeating: 9, count: rows * outStride)
        flyvec_block_maxima(storage, stride, 0, rows, &maxima, outStride, vector)
        for i in 0..<rows {
            for g in 0..<outStride {
                let expected = g < stride / 16 ? Self.halfAtLeast(storage[(i * stride + g * 16)..<(i * stride + g * 16 + 16)].max()!).bitPattern : 0
                #expect(maxima[i * outStride + g] == expected, "row \(i), block \(g)")
            }
        }
    }

    /// The column bounds kernel (both paths) against a plain reading of its definition: per unit
    /// the largest |U|, its earliest row, the largest |U| of the other rows, Σ U²; per row its
    /// largest |U|. Values from a few levels, so ties and repeated maxima are common.
    @Test(arguments: [0, 1])
    func columnBoundsMatchTheirDefinition(vector: Int32) {
        let (units, stride, rows) = (37, 48, 300)
        var rng = SplitMix64(seed: 3)
        var storage = [Float](repeating: 0, count: rows * stride)
        for i in 0..<rows { for u in 0..<units { storage[i * stride + u] = Float(Int(rng.next(below: 9)) - 4) / 4 } }
        var top = [Float](repeating: -1, count: stride), rest = [Float](repeating: 0, count: stride)
        var leader = [Int32](repeating: 0, count: stride), squares = [Double](repeating: 0, count: stride)
        var rowBound = [Float](repeating: -7, count: rows)
        // Two calls, as two chunks of rows are merged in the trainer.
        for range in [0..<120, 120..<rows] {
            flyvec_column_bounds(storage, stride, units, range.lowerBound, range.upperBound, &top, &leader, &rest, &squares, &rowBound, vector)
        }
        for u in 0..<units {
            let column = (0..<rows).map { abs(storage[$0 * stride + u]) }
            let best = column.max()!, first = column.firstIndex(of: best)!
            let others = column.enumerated().filter { $0.offset != first }.map(\.element).max()!
            #expect(top[u] == best && leader[u] == Int32(first) && rest[u] == others, "unit \(u)")
            #expect(squares[u] == (0..<rows).reduce(0.0) { $0 + Double(storage[$1 * stride + u] * storage[$1 * stride + u]) })
        }
        for i in 0..<rows { #expect(rowBound[i] == storage[(i * stride)..<(i * stride + units)].map(abs).max()!) }
    }

    /// Training with the block bounds in the forward pass gives bit for bit the model trained with
    /// the full pass: wide and narrow weights (few and many near-ties), padded and unpadded K, one
    /// and two threads.
    @Test(arguments: [(20, 0.1, 1), (48, 0.001, 2), (64, 0.1, 2), (40, 0.00001, 1), (400, 0.02, 2)])
    func boundedDriveChangesNothing(hidden: Int, sigma: Double, threads: Int) throws {
        var s = try setup(hidden: hidden, batch: 50)
        s.options.epochs = 2
        var results: [[Float]] = []
        for bounded in [false, true] {
            let syn = try Synapses(units: hidden, inputs: 2 * s.vocabulary.count, sigma: sigma, seed: 11)
            let t = try Trainer(synapses: syn, windows: s.windows, counts: s.vocabulary.counts, options: s.options, threads: threads)
            t.boundedDrive = bounded
            #expect(t.boundedDrive == bounded)
            for e in 0..<2 { _ = try t.trainEpoch(e) }
            results.append((0..<syn.inputs).flatMap { syn.row($0) })
        }
        #expect(zip(results[0], results[1]).filter { $0.bitPattern != $1.bitPattern }.count == 0)
    }

    /// The bounded search for the winner against the plain argmax over every unit's drive, on
    /// random weights of mixed magnitudes and scales, block bounds loosened at random (any upper
    /// bound must do), weights from a few levels so that drives tie exactly, and weights all
    /// negative, where a padding unit's drive of 0 would win if padding were not left out. Blocks:
    /// 19 (a full group of 16 and a tail), 16 (no tail), 8 (only a tail in sixteen lanes).
    @Test(arguments: zip([300, 250, 120], [304, 256, 128]))
    func boundedWinnerIsTheArgmax(units: Int, stride: Int) {
        let inputs = 50
        let blocks = stride / 16, blockStride = (blocks + 15) / 16 * 16
        var rng = SplitMix64(seed: 17)
        for trial in 0..<400 {
            let magnitude = [1e-6, 1e-3, 0.05, 3.0][trial % 4]
            var weights = [Float](repeating: 0, count: inputs * stride)
            for i in 0..<inputs {
                for u in 0..<units {
                    let w = trial % 5 == 0 ? Float(Int(rng.next(below: 3)) - 1) * Float(magnitude)
                        : Float(rng.nextGaussian(sigma: magnitude))
                    weights[i * stride + u] = trial % 7 == 6 ? -abs(w) : w
                }
            }
            var blockMax = [UInt16](repeating: 0, count: inputs * blockStride)
            var rowBound = [Float](repeating: 0, count: inputs)
            for i in 0..<inputs {
                for g in 0..<blocks {
                    let exact = weights[(i * stride + g * 16)..<(i * stride + g * 16 + 16)].max()!
                    let bound = trial % 2 == 0 ? exact : exact + Float(rng.nextUnit() * magnitude)
                    blockMax[i * blockStride + g] = Self.halfAtLeast(bound).bitPattern
                }
                rowBound[i] = weights[(i * stride)..<(i * stride + stride)].map(abs).max()!
            }
            var scale = [Float](repeating: 0, count: stride)
            for u in 0..<units { scale[u] = trial % 3 == 0 ? 1 : Float(0.5 + rng.nextUnit()) }
            var high = [Float](repeating: 0, count: blockStride), low = [Float](repeating: 0, count: blockStride)
            for g in 0..<blocks {
                let s = scale[(g * 16)..<min(g * 16 + 16, units)]
                (high[g], low[g]) = (s.max()!, s.min()!)
            }
            // Samples of 0 to 7 rows, searched one at a time and all together (the vector search
            // overlaps its stages over up to eight samples, so 11 cover every slot).
            let width = 7, n = 11
            var rows = [Int32](repeating: -1, count: n * width), counts = [Int32](repeating: 0, count: n)
            var slack = [Float](repeating: 0, count: n), expected: [Int32] = [], expectedDrives: [Float] = []
            let frequency = (0..<inputs).map { _ in Float(rng.nextUnit()) }
            for s in 0..<n {
                let m = Int(rng.next(below: 8))
                counts[s] = Int32(m)
                for j in 0..<m { rows[s * width + j] = Int32(rng.next(below: UInt64(inputs))) }
                let sample = Array(rows[(s * width)..<(s * width + m)])
                slack[s] = Float(2 * m) * 6.0e-8 * sample.reduce(Float(0)) { $0 + rowBound[Int($1)] }
                // Every unit's drive as the trainer's full pass sums it; the first of the largest.
                let drives = (0..<units).map { u in sample.reduce(Float(0)) { $0 + weights[Int($1) * stride + u] } * scale[u] }
                let winner = drives.firstIndex(of: drives.max()!)!
                expected.append(Int32(winner))
                // The winner's drive weighted as the trainer's scalar loop weights it.
                expectedDrives.append(sample.reduce(Float(0)) { $0 + frequency[Int($1)] * weights[Int($1) * stride + winner] } * scale[winner])
            }
            var scratch = [Float](repeating: 0, count: 8 * blockStride)
            for vector: Int32 in [0, 1, 2] {
                var winners = [Int32](repeating: -1, count: n), weighted = [Float](repeating: .nan, count: n)
                flyvec_bounded_winners(weights, stride, units, blockMax, blockStride, rows, counts, width, n, scale, high, low, slack,
                                       &scratch, &winners, frequency, &weighted, vector)
                #expect(winners == expected, "trial \(trial), vector \(vector)")
                #expect(weighted.map(\.bitPattern) == expectedDrives.map(\.bitPattern), "trial \(trial), vector \(vector)")
                for s in 0..<n {
                    var one: Int32 = -1, drive = Float.nan
                    rows.withUnsafeBufferPointer { r in
                        flyvec_bounded_winners(weights, stride, units, blockMax, blockStride, r.baseAddress! + s * width, &counts[s],
                                               width, 1, scale, high, low, &slack[s], &scratch, &one, frequency, &drive, vector)
                    }
                    #expect(one == expected[s], "trial \(trial), sample \(s) alone, vector \(vector)")
                    #expect(drive.bitPattern == expectedDrives[s].bitPattern, "trial \(trial), sample \(s) alone, vector \(vector)")
                }
            }
        }
    }

    @Test func modelDoesNotDependOnThreadCount() throws {
        let s = try setup(hidden: 48, batch: 100)
        var results: [[Float]] = []
        var energies: [[Double]] = []
        for threads in [1, 2, 4] {
            let syn = try Synapses(units: 48, inputs: 2 * s.vocabulary.count, sigma: 0.02, seed: 3)
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
        let model = try Model(vocabulary: v, options: o, tokenizer: TokenizerOptions())
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
