import Foundation

/// How each vocabulary word is used in a corpus, seen through the trained synapses, z-scored per
/// unit over the vocabulary. Words used in alike contexts get alike profiles, which is what
/// word-similarity benchmarks ask for; read out as `Readout.usage` (docs/ALGORITHM.md).
///
/// Order 1: per word, the mean over its occurrences of the weighted vectors of the words around it.
/// Order 2: per word, the sum over its occurrences of the weighted order-1 descriptions of the
/// words around it — a word is described by how its neighbours are used. In the `sparse` method a
/// context word's order-1 vector is its strongest `UsageSettings.sparseWidth` context synapses,
/// and its order-2 vector is its order-1 code (those units set to 1); in the `dense` method they
/// are the whole context column and the whole z-scored order-1 profile.
public struct UsageProfile: Sendable {
    /// The weight of a context word is its corpus count to the power −`defaultPower` (but at
    /// order 2 of a log-ratio profile: `UsageSettings.Weighting`).
    public static let defaultPower = UsageSettings().power
    /// Order 2 with the sparse method: measured better on en-mix than order 1 (docs/RESULTS.md).
    public static let defaultOrder = UsageSettings().order

    /// Hidden units K of the model it was made with: values per word.
    public let units: Int
    /// How the profile was made: window, order, power and method.
    public let settings: UsageSettings
    /// 1 or 2.
    public var order: Int { settings.order }
    /// Per vocabulary id, `units` z-scored values, in half precision: a code depends only on the
    /// order of a word's values, and the profile is the largest part of a model that stores it.
    let vectors: [Float16]
    /// Per unit, 1/σ of the raw profiles (for contextual codes).
    let inverseDeviation: [Float]
    /// Per vocabulary id, the weight of the word as a context word.
    let weights: [Float]
    /// Dense order 2: what a context word adds (times its weight), per vocabulary id: its order-1
    /// profile. Empty otherwise.
    private let firstOrder: [Float]
    /// Sparse method: what a context word adds (times its weight), per vocabulary id:
    /// `sparseWidth` (unit, value) pairs. Empty for the dense method.
    let contextUnits: [UInt16]
    let contextValues: [Float]
    /// The strongest principal directions taken out of the profile (`settings.directions` of
    /// them), and out of what context words add to a contextual code.
    public let directions: PrincipalDirections

    /// One pass over `corpus` (encoded with `model`'s vocabulary) per order.
    /// - Parameters:
    ///   - model: the trained model whose context synapses describe the words around each occurrence.
    ///   - corpus: the corpus, encoded with `model`'s vocabulary.
    ///   - power: a context word weighs its corpus count to the power −`power` (at order 1, and at
    ///     order 2 with `count` weights; the default log-ratio weights do not use it at order 2).
    ///   - window: the context around each occurrence, in words including the occurrence
    ///     (default: the model's training window); wider windows profile large-K models better.
    ///   - order: 1, the words around each occurrence; 2, how those words are used.
    ///   - method: `sparse` (each context word adds its strongest units) or `dense`.
    public init(model: Model, corpus: EncodedCorpus, power: Double = UsageProfile.defaultPower,
                window: Int? = nil, order: Int = UsageProfile.defaultOrder,
                method: UsageSettings.Method = .sparse) throws {
        try self.init(model: model, corpus: corpus,
                      settings: UsageSettings(window: window ?? model.options.window, order: order, power: power, method: method))
    }

    /// The profile `settings` describe, from `corpus` encoded with `model`'s vocabulary, on
    /// `threads` threads (the profile does not depend on their number).
    ///
    /// The sparse method counts each word's co-occurrences once and keeps them (a (context, count)
    /// entry of 8 bytes per distinct pair) for its later passes, up to `keptEntries` entries; past
    /// that it counts them again on every pass, which takes longer but no memory. The profile
    /// does not depend on it either.
    public init(model: Model, corpus: EncodedCorpus, settings: UsageSettings,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                keptEntries: Int = 1 << 25) throws {
        try settings.validate()
        guard threads >= 1 else { throw FlyVecError.parameter("threads", "must be at least 1 (got \(threads))") }
        guard keptEntries >= 0 else { throw FlyVecError.parameter("keptEntries", "must be at least 0 (got \(keptEntries))") }
        let K = model.options.hidden, n = model.vocabulary.count, syn = model.synapses
        guard syn.isLoaded || (settings.method == .sparse && model.strongestContext != nil) else {
            throw FlyVecError(.mismatch, "this usage profile needs the model's synapses, and the model was read without them (ModelFile.SynapseLoading)")
        }
        let weights = Self.weights(counts: model.vocabulary.counts, power: settings.power)
        units = K
        self.weights = weights
        var profile: [Float], used: [Int]
        switch settings.method {
        case .dense:
            let dense = Self.dense(model: model, corpus: corpus, settings: settings, threads: threads, weights: weights)
            (profile, used, inverseDeviation, firstOrder) = (dense.vectors, dense.used, dense.inverseDeviation, dense.firstOrder)
            contextUnits = []
            contextValues = []
        case .sparse:
            let m = UsageSettings.sparseWidth(units: K)
            // Each word's strongest context synapses, as true weights: kept by a model read for
            // a profile, else taken from its synapses.
            let strongest = model.strongestContext.flatMap { $0.width == m ? $0 : nil }
                ?? StrongestContext(synapses: syn, words: n, width: m, threads: threads)
            let logRatio = settings.effectiveWeighting == .logRatio
            // With log-ratio weights the stop words (ids n..<n + S) are context words too: they
            // have no synapses, so they add nothing at order 1 and their order-1 codes at order 2.
            let all = logRatio ? n + model.vocabulary.stopWords.count : n
            let stops = all - n
            let units1 = strongest.units + [UInt16](repeating: 0, count: stops * m)
            let values1 = strongest.values + [Float](repeating: 0, count: stops * m)
            let rows = try Cooccurrence(corpus: corpus, window: settings.window, words: all, threads: threads, keptEntries: keptEntries)
            used = (1..<n).filter { rows.occurrences($0) > 0 }
            let usedStops = (n..<all).filter { rows.occurrences($0) > 0 }
            var sums: [Float] = []
            rows.weightedSums(into: &sums, units: K, width: m, contextUnits: units1, contextValues: values1, threads: threads,
                              weights: .count(weights + [Float](repeating: 0, count: stops)), mean: true)
            // Stop words on the vocabulary's scale: their order-1 codes then compete with the words'.
            var deviation = Self.zScore(&sums, units: K, rows: used, also: usedStops, threads: threads)
            if settings.order == 2 {
                // The order-1 codes: each word's top m units of its order-1 profile, set to 1. Chosen
                // on half-precision values like the static codes, so that units equal but for
                // rounding tie, and ties go to the lower unit.
                var units2 = [UInt16](repeating: 0, count: all * m)
                let coded = used + usedStops
                let codes = sums.withUnsafeBufferPointer { sums in
                    Self.topUnits(coded, units: K, width: m, threads: threads) { id, row, halves in
                        HalfPrecision.narrow(sums.baseAddress! + id * K, count: K, into: halves)
                        HalfPrecision.widen(halves, count: K, into: row)
                    }
                }
                for (id, top) in zip(coded, codes) { for (j, u) in top.enumerated() { units2[id * m + j] = UInt16(u) } }
                // A word the corpus never holds has no order-1 code and adds nothing.
                var codeValues = [Float](repeating: 0, count: all * m)
                for id in coded { for j in (id * m)..<(id * m + m) { codeValues[j] = 1 } }
                let pairWeights: Cooccurrence.PairWeights
                if logRatio {
                    // c's share of all co-occurrences as a context word, smoothed to the power 0.75
                    // as word2vec's negative samples are: positive for every c in a row.
                    let totals = rows.totals(parts: threads)
                    var share = totals.columns.map { _pow($0, 0.75) }
                    let sum = share.reduce(0, +)
                    for c in share.indices { share[c] /= sum }
                    pairWeights = .logRatio(totals: totals.rows, share: share)
                } else {
                    pairWeights = .count(weights)
                }
                // The sum, not the mean, over occurrences: frequent words then set each unit's
                // scale (docs/RESULTS.md).
                // Every context word in a row occurs, so has an order-1 code: its values are all 1
                // (a * 1 is a, so the sums are the same as with `codeValues`).
                rows.weightedSums(into: &sums, rows: n, units: K, width: m, contextUnits: units2, contextValues: nil,
                                  threads: threads, weights: pairWeights, mean: false)
                deviation = Self.zScore(&sums, units: K, rows: used, threads: threads)
                contextUnits = Array(units2[..<(n * m)])
                contextValues = Array(codeValues[..<(n * m)])
            } else {
                contextUnits = strongest.units
                contextValues = strongest.values
                sums.removeSubrange((n * K)...)
            }
            profile = sums
            inverseDeviation = deviation
            firstOrder = []
        }
        let removed = profile.withUnsafeMutableBufferPointer { p in
            let d: PrincipalDirections
            if settings.effectiveWeighting == .logRatio {
                // Always searched among the same candidates, then cut: the directions that stand
                // out, or the number asked for, so that a profile made again from the stored
                // settings (which hold that number) finds the same ones.
                // None asked: none searched for.
                let candidates = settings.directions == 0 ? 0 : UsageSettings.candidateDirections(units: K)
                let found = PrincipalDirections(count: max(settings.directions ?? 0, candidates), of: p.baseAddress!, units: K,
                                                rows: used, threads: threads,
                                                strongerThan: settings.directions == nil ? UsageSettings.outstandingDirection : nil)
                d = found.prefix(settings.directions ?? found.count)
            } else {
                d = PrincipalDirections(count: settings.directions ?? UsageSettings.defaultDirections(units: K), of: p.baseAddress!,
                                        units: K, rows: used, threads: threads)
            }
            d.remove(fromRows: used, of: p.baseAddress!, threads: threads)
            return d
        }
        directions = removed
        var resolved = settings
        resolved.directions = removed.count
        resolved.weighting = settings.effectiveWeighting
        self.settings = resolved
        vectors = HalfPrecision.narrow(profile, threads: threads)
    }

    /// A profile as stored in a model file.
    init(units: Int, settings: UsageSettings, vectors: [Float16], inverseDeviation: [Float], weights: [Float],
         contextUnits: [UInt16], contextValues: [Float], directions: [Float]) {
        self.units = units
        self.directions = PrincipalDirections(units: units, vectors: directions)
        self.settings = settings
        self.vectors = vectors
        self.inverseDeviation = inverseDeviation
        self.weights = weights
        self.contextUnits = contextUnits
        self.contextValues = contextValues
        firstOrder = []
    }

    /// The weights of context words for a vocabulary's counts.
    static func weights(counts: [Int], power: Double) -> [Float] {
        counts.map { Float(_pow(Double(max($0, 1)), -power)) }
    }

    /// The previous method: every context word adds its whole context column (order 1) or its
    /// whole order-1 profile (order 2).
    private static func dense(model: Model, corpus: EncodedCorpus, settings: UsageSettings, threads: Int,
                              weights: [Float]) -> (vectors: [Float], used: [Int], inverseDeviation: [Float], firstOrder: [Float]) {
        let K = model.options.hidden, n = model.vocabulary.count, syn = model.synapses
        let pass = ContextPass(corpus: corpus, window: settings.window, weights: weights, units: K, words: n, threads: threads)
        // The context halves as true weights, K floats per word.
        var context = [Float](repeating: 0, count: n * K)
        for id in 0..<n { for u in 0..<K { context[id * K + u] = syn.weight(unit: u, input: id) } }
        let seen = pass.occurrences()
        var sums = pass.sums(of: context)
        context = []
        let used = (1..<n).filter { seen[$0] > 0 }
        var deviation = Self.zScore(&sums, units: K, rows: used, threads: threads, divisor: { Double(seen[$0]) })
        guard settings.order == 2 else { return (sums, used, deviation, []) }
        // The sum, not the mean, over occurrences (the mean scored SimLex 0.34 where the sum
        // scored 0.38, K 4096, seeds 1–3).
        let first = sums
        sums = pass.sums(of: first)
        deviation = Self.zScore(&sums, units: K, rows: used, threads: threads)
        return (sums, used, deviation, first)
    }

    /// Whether contextual codes read the model's synapses (a dense profile of order 1: a context
    /// word adds its whole context column).
    var needsSynapses: Bool { contextUnits.isEmpty && firstOrder.isEmpty }

    /// Whether the profile describes a model of K `units` and `words` vocabulary ids.
    func fits(units: Int, words: Int) -> Bool { self.units == units && vectors.count == units * words }

    /// Whether the corpus the profile was made from holds word `id` (a word it never saw has no
    /// profile, so no code).
    func describes(_ id: Int) -> Bool {
        // On the bit patterns (either zero): comparing Float16 values converts each in software.
        vectors[(id * units)..<(id * units + units)].contains { $0.bitPattern & 0x7FFF != 0 }
    }

    /// Adds context word `id`'s contribution to one occurrence's vector, on the profiles' scale:
    /// weighted as in the profile, per unit divided by the profiles' deviation.
    func addContext(_ id: Int, synapses: Synapses, into v: inout [Float]) {
        let w = weights[id]
        if !contextUnits.isEmpty {
            let m = contextUnits.count / weights.count
            for j in (id * m)..<(id * m + m) {
                let u = Int(contextUnits[j])
                v[u] += w * contextValues[j] * inverseDeviation[u]
            }
        } else if firstOrder.isEmpty {
            for u in 0..<units { v[u] += w * synapses.weight(unit: u, input: id) * inverseDeviation[u] }
        } else {
            for u in 0..<units { v[u] += w * firstOrder[id * units + u] * inverseDeviation[u] }
        }
    }

    /// The top `m` units (ascending) of the K values `fill(id, row, scratch)` writes for each of
    /// `ids`, in the order of `ids`, on `threads` threads; `fill` is called concurrently, each call
    /// with its thread's own row and K half-precision values of scratch.
    private static func topUnits(_ ids: [Int], units K: Int, width m: Int, threads: Int,
                                 _ fill: (Int, UnsafeMutablePointer<Float>, UnsafeMutablePointer<UInt16>) -> Void) -> [[Int]] {
        let chunk = 256
        return concurrentMap((ids.count + chunk - 1) / chunk, threads: threads) { b -> [[Int]] in
            var row = [Float](repeating: 0, count: K), scratch = [UInt16](repeating: 0, count: K)
            return ids[(b * chunk)..<min(ids.count, (b + 1) * chunk)].map { id in
                row.withUnsafeMutableBufferPointer { r in scratch.withUnsafeMutableBufferPointer { fill(id, r.baseAddress!, $0.baseAddress!) } }
                return row.withUnsafeBufferPointer { topK($0, m) }
            }
        }.flatMap { $0 }
    }

    /// Each unit of the `rows` of `vectors` (`units` floats a row), each row first divided by
    /// `divisor(row)` when one is given, z-scored over those rows, in place, and the rows `also`
    /// with the same statistics; returns 1/σ per unit. Other rows are left as they are (all zero:
    /// words the corpus does not hold).
    private static func zScore(_ vectors: inout [Float], units K: Int, rows: [Int], also: [Int] = [], threads: Int = 1,
                               divisor: ((Int) -> Double)? = nil) -> [Float] {
        vectors.withUnsafeMutableBufferPointer { v in
            nonisolated(unsafe) let v = v.baseAddress!
            let stats = divisor.map { divisor in
                UnitStatistics(units: K, rows: rows, threads: threads) { id, u in Double(v[id * K + u]) / divisor(id) }
            } ?? UnitStatistics(vectors: v, units: K, rows: rows, threads: threads)
            let mean = stats.mean, inverse = stats.inverseDeviation
            let rows = rows + also
            _ = concurrentMap(rows.count, threads: threads) { r in
                let row = v + rows[r] * K
                if let d = divisor?(rows[r]) {
                    for u in 0..<K { row[u] = Float(Double(row[u]) / d - mean[u]) * inverse[u] }
                } else {
                    for u in 0..<K { row[u] = Float(Double(row[u]) - mean[u]) * inverse[u] }
                }
            }
            return inverse
        }
    }
}
