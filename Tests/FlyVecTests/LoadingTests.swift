import CFlyVecSupport
import Foundation
import Testing
import FlyVec

/// Loading models and making codes fast: the half-precision kernels against Swift's own
/// conversion, the set bits against a bit-by-bit scan, and codes made on several threads.
@Suite struct LoadingTests {
    /// Synapses larger than any address space (2^54 bytes), or whose size overflows, are refused with
    /// `outOfSpace`.
    @Test func synapsesBeyondTheAddressSpaceAreRefused() {
        #expect { _ = try Synapses(units: 65536, inputs: 1 << 36) } throws: { ($0 as? FlyVecError)?.kind == .outOfSpace }
        #expect { _ = try Synapses(units: 65536, inputs: 1 << 36, sigma: 0.02, seed: 1) } throws: { ($0 as? FlyVecError)?.kind == .outOfSpace }
        // inputs × stride past Int.max: refused before anything is mapped.
        #expect { _ = try Synapses(units: 65536, inputs: 1 << 48) } throws: { ($0 as? FlyVecError)?.kind == .outOfSpace }
    }

    /// Whether synapses fit half precision, against a plain scan of every weight: wide draws hold
    /// weights beyond ±65504 (refused), narrow ones do not.
    @Test(arguments: [1.0, 3e4, 1e5])
    func halfPrecisionFitMatchesAScan(sigma: Double) throws {
        let syn = try Synapses(units: 37, inputs: 300, sigma: sigma, seed: 4)
        let scan = (0..<syn.inputs).allSatisfy { syn.row($0).allSatisfy { abs($0) <= 65504 } }
        #expect(ModelFile.fitsHalfPrecision(syn) == scan)
        if sigma == 1e5 { #expect(!scan) } else if sigma == 1.0 { #expect(scan) }
    }

    /// The range check on the edges of half precision, one value at a time and in a row with
    /// others, against `abs(x) <= 65504` (which NaN fails).
    @Test func halfRangeCheckMatchesTheComparison() {
        let edges: [Float] = [0, -0.0, 1, 65504, -65504, Float(65504).nextUp, -Float(65504).nextUp, 65520, 1e30,
                              .infinity, -.infinity, .nan, -.nan, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        for x in edges {
            #expect((flyvec_floats_fit_half([x], 1) == 1) == (abs(x) <= 65504), "\(x)")
            var row = [Float](repeating: 0.5, count: 37)
            row[29] = x
            #expect((flyvec_floats_fit_half(row, row.count) == 1) == (abs(x) <= 65504), "\(x) in a row")
        }
    }

    /// Every half-precision bit pattern, widened by F16C and by the table, at every alignment and
    /// with tails shorter than eight, equals Swift's `Float(Float16(bitPattern:))`.
    @Test func halvesWidenLikeSwift() {
        let patterns = (0...0xFFFF).map { UInt16($0) }
        let table = (0...0xFFFF).map { Float(Float16(bitPattern: UInt16($0))) }
        for hardware: Int32 in [1, 0] {
            for start in 0..<3 {
                let count = patterns.count - start - 5
                var out = [Float](repeating: -1, count: count)
                patterns.withUnsafeBufferPointer { p in
                    flyvec_halves_to_floats(&out, p.baseAddress! + start, count, table, hardware)
                }
                for i in 0..<count {
                    let expected = Float(Float16(bitPattern: patterns[start + i]))
                    #expect(out[i].bitPattern == expected.bitPattern || (out[i].isNaN && expected.isNaN))
                }
            }
        }
    }

    /// Rounding to half precision with F16C equals Swift's `Float16(x)` (to nearest, ties to
    /// even): every half value, the points halfway between neighbours, overflow, subnormals.
    @Test func floatsNarrowLikeSwift() {
        guard flyvec_uses_f16c() == 1 else { return }
        var values: [Float] = [0, -0, .infinity, -.infinity, 65504, 65520, 65519.99, 1e-8, -1e-8, 6e-5, .greatestFiniteMagnitude]
        for bits in stride(from: 0, through: 0x7BFF, by: 7) {
            let h = Float(Float16(bitPattern: UInt16(bits))), next = Float(Float16(bitPattern: UInt16(bits + 1)))
            values += [h, -h, (h + next) / 2, -(h + next) / 2, h.nextUp, h.nextDown]
        }
        var rng = SystemRandomNumberGenerator()
        values += (0..<10_000).map { _ in Float.random(in: -70_000...70_000, using: &rng) }
        var out = [UInt16](repeating: 0, count: values.count)
        flyvec_floats_to_halves(&out, values, values.count)
        for (x, h) in zip(values, out) { #expect(h == Float16(x).bitPattern, "\(x)") }
    }

    @Test func finitenessOfHalvesAndFloats() {
        var halves = [UInt16](repeating: Float16(1.5).bitPattern, count: 37)
        var floats = [Float](repeating: 1.5, count: 37)
        #expect(flyvec_halves_finite(halves, halves.count) == 1)
        #expect(flyvec_floats_finite(floats, floats.count) == 1)
        for bad in [Float16.infinity, -Float16.infinity, Float16.nan] {
            for at in [0, 17, 36] {
                var h = halves
                h[at] = bad.bitPattern
                #expect(flyvec_halves_finite(h, h.count) == 0)
                var f = floats
                f[at] = Float(bad)
                #expect(flyvec_floats_finite(f, f.count) == 0)
            }
        }
        halves[3] = Float16.greatestFiniteMagnitude.bitPattern
        floats[3] = .greatestFiniteMagnitude
        #expect(flyvec_halves_finite(halves, halves.count) == 1)
        #expect(flyvec_floats_finite(floats, floats.count) == 1)
    }

    /// `activeBits` walks the set bits word by word; a bit-by-bit scan is the reference.
    @Test(arguments: [1, 63, 64, 65, 400, 2048])
    func activeBitsMatchAScan(bits: Int) {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let code = BinaryCode(bits: bits, active: (0..<bits).filter { _ in Int.random(in: 0..<5, using: &rng) == 0 })
            #expect(code.activeBits == (0..<bits).filter { code[$0] })
        }
    }

    @Test func codesDoNotDependOnTheThreadCount() throws {
        let hasher = try WordHasher(model: SmallModel.model, k: 4, readout: .sum)
        let one = try CodeBook(hasher: hasher, threads: 1), three = try CodeBook(hasher: hasher, threads: 3)
        #expect(one.words == three.words)
        #expect(one.index.storage == three.index.storage)
        var seen: [Int] = []
        _ = try CodeBook(hasher: hasher, threads: 3) { done, _ in seen.append(done) }
        #expect(seen.last == one.count && seen == seen.sorted())
    }

    /// A payload many times larger than its compressed frame (and than the first guess of its
    /// size) comes back whole.
    @Test func highlyCompressiblePayloadsGrowTheirBuffer() throws {
        let plain = (0..<(8 << 20)).map { UInt8(truncatingIfNeeded: $0 / 4096) }
        let packed = try Zstd.compress(plain, level: 3)
        #expect(packed.count * 20 < plain.count)
        #expect(try packed.withUnsafeBytes { try Zstd.decompress($0) } == plain)
    }

    /// A model whose synapses go beyond ±65504 is refused in half precision, whether a few rows
    /// hold such weights (σ 3e4) or almost all (σ 1e5), and leaves neither the model nor a
    /// temporary file; float32 writes it.
    @Test(arguments: [3e4, 1e5])
    func halfPrecisionRefusesSynapsesBeyondItsRange(sigma: Double) throws {
        let small = SmallModel.model
        let syn = try Synapses(units: small.synapses.units, inputs: small.synapses.inputs, sigma: sigma, seed: 3)
        let model = try Model(vocabulary: small.vocabulary, synapses: syn, options: small.options, tokenizer: small.tokenizer)
        let dir = temporaryDirectory()
        let path = dir.appendingPathComponent("m.flyvec").path
        #expect(!ModelFile.fitsHalfPrecision(syn))
        #expect(throws: FlyVecError.self) { try ModelFile.write(model, to: path, precision: .float16) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
        try ModelFile.write(model, to: path, precision: .float32)
        let read = try ModelFile.read(path)
        for i in 0..<syn.inputs { #expect(read.synapses.row(i) == syn.row(i)) }
    }

    /// A model read from its file (streamed) and from its bytes in memory is the same model.
    @Test func fileAndInMemoryReadsAgree() throws {
        let dir = temporaryDirectory()
        let path = dir.appendingPathComponent("m.flyvec").path
        try ModelFile.write(SmallModel.model, to: path, precision: .float16)
        let streamed = try ModelFile.read(path), held = try ModelFile.decode(try AtomicFile.read(path), file: path)
        for i in 0..<streamed.synapses.inputs { #expect(streamed.synapses.row(i) == held.synapses.row(i)) }
        guard case .model(let any, _) = try FlyVecFile.read(path) else { Issue.record("not read as a model"); return }
        for i in 0..<streamed.synapses.inputs { #expect(any.synapses.row(i) == held.synapses.row(i)) }
    }

    /// A model read without its synapses (it stores a profile), or with only its words' strongest
    /// context synapses, makes the same usage codes as the model read whole, and refuses what
    /// needs the synapses. 600 words, so that the rows cross the reader's blocks of 256.
    @Test func partialReadsMakeTheSameUsageCodes() throws {
        let words = (0..<600).map { "w\($0)" }
        var rng = SplitMix64(seed: 12)
        let text = (0..<3000).map { _ in
            (0..<9).map { _ in words[Int(rng.next(below: 20)) * 30 + Int(rng.next(below: 30))] }.joined(separator: " ")
        }.joined(separator: "\n")
        let dir = temporaryDirectory()
        let corpusFile = dir.appendingPathComponent("c.txt")
        write(text, to: corpusFile)
        let vocabulary = try Vocabulary(words: ["<UNK>", "<NUM>"] + words, counts: [0, 0] + words.map { _ in 45 }, stopWords: [])
        var options = TrainingOptions.classic
        options.hidden = 64
        options.window = 5
        options.batch = 500
        let fresh = try Model(vocabulary: vocabulary, options: options, tokenizer: TokenizerOptions())
        let (_, corpus, _) = try CorpusReader().read([corpusFile.path], vocabulary: vocabulary)
        let plain = dir.appendingPathComponent("plain.flyvec").path
        try ModelFile.write(fresh, to: plain)
        let whole = try ModelFile.read(plain), strongest = try ModelFile.read(plain, synapses: .strongestContext)
        #expect(try ModelFile.read(plain, synapses: .unlessProfiled).synapses.isLoaded)
        #expect(!strongest.synapses.isLoaded)
        for order in [1, 2] {
            let settings = UsageSettings(window: 5, order: order)
            let a = try WordHasher(model: whole, usage: try UsageProfile(model: whole, corpus: corpus, settings: settings))
            let b = try WordHasher(model: strongest, usage: try UsageProfile(model: strongest, corpus: corpus, settings: settings))
            for id in 2..<vocabulary.count {
                #expect(a.staticCode(id: id) == b.staticCode(id: id))
                #expect(a.contextualCode(id: id, context: [2, id / 2 + 2]) == b.contextualCode(id: id, context: [2, id / 2 + 2]))
            }
        }
        #expect(throws: FlyVecError.self) { try UsageProfile(model: strongest, corpus: corpus, settings: UsageSettings(window: 5, method: .dense)) }
        #expect(throws: FlyVecError.self) { try WordHasher(model: strongest, readout: .sum) }

        var profiled = whole
        try profiled.attach(try UsageProfile(model: whole, corpus: corpus, settings: UsageSettings(window: 5)))
        let path = dir.appendingPathComponent("profiled.flyvec").path
        try ModelFile.write(profiled, to: path, precision: .float16)
        let full = try ModelFile.read(path), bare = try ModelFile.read(path, synapses: .unlessProfiled)
        #expect(full.synapses.isLoaded && !bare.synapses.isLoaded)
        let a = try WordHasher(model: full), b = try WordHasher(model: bare)
        for id in 2..<vocabulary.count {
            #expect(a.staticCode(id: id) == b.staticCode(id: id))
            #expect(a.contextualCode(id: id, context: [3, 600 - id / 2]) == b.contextualCode(id: id, context: [3, 600 - id / 2]))
        }
        #expect(throws: FlyVecError.self) { try WordHasher(model: bare, readout: .target) }
        #expect(throws: FlyVecError.self) { try ModelFile.write(bare, to: dir.appendingPathComponent("x.flyvec").path) }
        guard case .model(let any, let version) = try FlyVecFile.read(path, synapses: .unlessProfiled) else {
            Issue.record("not read as a model"); return
        }
        #expect(version == 2 && !any.synapses.isLoaded)
    }

    /// A model file cut short or followed by stray bytes is refused with the file named, however
    /// it is read.
    @Test func damagedModelFilesAreRefused() throws {
        let dir = temporaryDirectory()
        let path = dir.appendingPathComponent("m.flyvec").path
        try ModelFile.write(SmallModel.model, to: path)
        let bytes = try AtomicFile.read(path)
        for cut in [bytes.count - 1, bytes.count - 5, bytes.count / 2, 40, 17] {
            let damaged = dir.appendingPathComponent("cut\(cut).flyvec")
            write(Array(bytes.prefix(cut)), to: damaged)
            for loading in [ModelFile.SynapseLoading.all, .strongestContext] {
                #expect { try ModelFile.read(damaged.path, synapses: loading) } throws: {
                    ($0 as? FlyVecError)?.kind == .corrupt && ($0 as? FlyVecError)?.file == damaged.path
                }
            }
            #expect(throws: FlyVecError.self) { try ModelFile.decode(Array(bytes.prefix(cut)), file: "m") }
        }
        let extra = dir.appendingPathComponent("extra.flyvec")
        write(bytes + (try Zstd.compress([1, 2, 3])), to: extra)
        #expect { try ModelFile.read(extra.path) } throws: { "\($0)".contains("3 unexpected bytes after the synapses") }
    }

    /// A model or a code file arriving through a pipe (no second reading possible) is told apart
    /// and read whole.
    @Test func filesAreReadThroughPipes() throws {
        let dir = temporaryDirectory()
        let model = dir.appendingPathComponent("m.flyvec").path, codes = dir.appendingPathComponent("c.flycodes").path
        try ModelFile.write(SmallModel.model, to: model)
        try CodeFile.write(try CodeBook(model: SmallModel.model, k: 3, readout: .sum), to: codes)
        for (i, path) in [model, codes].enumerated() {
            let fifo = dir.appendingPathComponent("pipe\(i)").path
            #expect(mkfifo(fifo, 0o600) == 0)
            let bytes = try AtomicFile.read(path)
            let writer = Thread {
                guard let handle = FileHandle(forWritingAtPath: fifo) else { return }
                handle.write(Data(bytes))
                try? handle.close()
            }
            writer.start()
            switch try FlyVecFile.read(fifo) {
            case .model(let m, _): #expect(path == model && m.synapses.row(5) == SmallModel.model.synapses.row(5))
            case .codes(let book, _): #expect(try path == codes && book.words == CodeFile.read(codes).words)
            }
        }
    }
}
