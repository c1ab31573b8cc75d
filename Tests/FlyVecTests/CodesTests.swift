import CFlyVecSupport
import Foundation
import Testing
import FlyVec

@Suite struct CodesTests {
    @Test func topCodeMatchesAFullSort() {
        var rng = SplitMix64(seed: 4)
        // Lengths below, at and past the 8-value groups the scan compares at once; from 8k, lengths
        // that split unevenly into the 2k blocks of the bound (some empty), with k up to the
        // bound's 64 and one past it; K 4096. Few distinct values, so ties are common (and, past
        // 512 candidates, the bound gives way to the scan), or many, so the threshold keeps moving.
        let lengths = Array(1..<70) + [256, 263, 300, 400, 512, 600, 2048, 4096]
        for (trial, length) in lengths.enumerated() {
            let distinct = trial % 2 == 0 ? 6 : 1 << 20
            let values = (0..<length).map { _ in Float(rng.next(below: UInt64(distinct))) }
            for k in Set([1, 3, 7, 16, 32, 48, 64, 65, values.count]) where k <= values.count {
                let expected = values.indices.sorted { values[$0] != values[$1] ? values[$0] > values[$1] : $0 < $1 }.prefix(k).sorted()
                #expect(BinaryCode(top: k, of: values).activeBits == Array(expected))
                #expect(topIndices(values, k, vector: 1) == Array(expected), "length \(length), k \(k)")
                #expect(topIndices(values, k, vector: 0) == Array(expected), "length \(length), k \(k), portable")
            }
        }
    }

    /// Rows with infinities, and with a NaN (which the heap ranks in its own way), give the same
    /// indices on the vector path as on the portable one.
    @Test func topIndicesAgreeOnInfinitiesAndNaN() {
        var rng = SplitMix64(seed: 9)
        for special: Float in [-.infinity, .infinity, .nan] {
            for length in [300, 2048] {
                for at in [0, 5, length / 2, length - 1] {
                    var values = (0..<length).map { _ in Float(rng.next(below: 1000)) }
                    values[at] = special
                    if special == -.infinity { for i in stride(from: 1, to: length, by: 2) { values[i] = special } }
                    for k in [1, 32, 64] {
                        #expect(topIndices(values, k, vector: 1) == topIndices(values, k, vector: 0), "\(special) at \(at), k \(k)")
                    }
                }
            }
        }
    }

    /// `flyvec_top_k` on one path: 1 the vector path, 0 the portable scan.
    func topIndices(_ values: [Float], _ k: Int, vector: Int32) -> [Int] {
        var out = [Int64](repeating: -1, count: k)
        let found = values.withUnsafeBufferPointer { flyvec_top_k($0.baseAddress!, values.count, k, &out, vector) }
        return out.prefix(found).map(Int.init)
    }

    @Test func similarityIsAgreementOverK() {
        let a = BinaryCode(bits: 10, active: [0, 1, 2])
        let b = BinaryCode(bits: 10, active: [1, 2, 3])
        // n11 = 2 (bits 1, 2); n00 = 6 (bits 4…9); (2 + 6) / 10.
        #expect(a.similarity(to: b) == 0.8)
        #expect(a.hammingDistance(to: b) == 2)
        #expect(a.activeBits == [0, 1, 2])
    }

    func randomCodes(_ n: Int, bits: Int, active: Int, seed: UInt64) -> [BinaryCode] {
        var rng = SplitMix64(seed: seed)
        return (0..<n).map { _ in
            var set = Set<Int>()
            while set.count < active { set.insert(Int(rng.next(below: UInt64(bits)))) }
            return BinaryCode(bits: bits, active: set)
        }
    }

    @Test(arguments: [(400, 50), (100, 5), (512, 20), (64, 8)])
    func nearestMatchesBruteForce(bits: Int, active: Int) throws {
        let codes = randomCodes(3000, bits: bits, active: active, seed: UInt64(bits))
        let index = try HammingIndex(bits: bits, storage: codes.flatMap(\.words))
        for q in 0..<20 {
            let query = codes[q * 7]
            // The obvious reference: every distance, sorted by (distance, index).
            let all = codes.indices.map { (index: $0, distance: query.hammingDistance(to: codes[$0])) }
            for n in [1, 10, 25] {
                let expected = all.sorted { $0.distance != $1.distance ? $0.distance < $1.distance : $0.index < $1.index }.prefix(n)
                #expect(index.nearest(to: query.words, count: n).map { [$0.index, $0.distance] } == expected.map { [$0.index, $0.distance] })
                let skipped = all.filter { $0.index != q * 7 }
                    .sorted { $0.distance != $1.distance ? $0.distance < $1.distance : $0.index < $1.index }.prefix(n)
                #expect(index.nearest(to: query.words, count: n, excluding: q * 7).map(\.index) == skipped.map(\.index))
            }
        }
        let batch = index.nearest(to: codes.prefix(30).map(\.words), count: 5, threads: 2)
        #expect(batch == codes.prefix(30).map { index.nearest(to: $0.words, count: 5) })
    }
}

/// A small trained model shared by the code and storage tests.
enum SmallModel {
    static let model = trained(hidden: 40)
    /// Enough units for the sparse method to select a few (m = 5 of 80).
    static let wide = trained(hidden: 80)

    static func trained(hidden: Int) -> Model {
        var lines: [String] = []
        var rng = SplitMix64(seed: 8)
        let topics = ["sea water ship fish wave sail boat shore", "king crown throne court queen prince royal palace"]
        for s in 0..<3000 {
            let words = topics[s % 2].split(separator: " ")
            lines.append((0..<8).map { _ in String(words[Int(rng.next(below: 8))]) }.joined(separator: " "))
        }
        // Stop words the training text never holds: the model is the same, and a usage profile
        // made over text that holds them counts them as context words.
        let (v, corpus, _) = try! encode(lines.joined(separator: "\n"), stopWords: ["the", "a"])
        var o = TrainingOptions.classic
        o.hidden = hidden
        o.window = 5
        o.batch = 500
        o.epochs = 3
        var m = try! Model(vocabulary: v, options: o, tokenizer: TokenizerOptions())
        let t = try! Trainer(synapses: m.synapses, windows: try! Windows(corpus: corpus, width: 5, vocabularySize: v.count),
                             counts: v.counts, options: o, threads: 2)
        for e in 0..<o.epochs { m.finish(try! t.trainEpoch(e)!) }
        return m
    }
}

@Suite struct CodeBookTests {
    let model = SmallModel.model

    @Test func staticCodesHaveKBitsAndNeighboursShareTheTopic() throws {
        let book = try CodeBook(model: model, k: 3, readout: .sum)
        #expect(book.code(for: "ship")!.popcount == 3)
        #expect(book.code(for: "nonsense") == nil)
        #expect(book.similarity("ship", "ship") == 1)
        let sea = Set("sea water ship fish wave sail boat shore".split(separator: " ").map(String.init))
        let court = Set("king crown throne court queen prince royal palace".split(separator: " ").map(String.init))
        for topic in [sea, court] {
            for word in topic {
                let near = book.nearest(to: word, count: 1)!
                #expect(near[0].word != word)
                #expect(topic.contains(near[0].word), "\(word): \(near)")
            }
        }
    }

    @Test func readoutsReadTheRightColumns() throws {
        let hasher = try WordHasher(model: model, k: 5, readout: .target)
        let id = model.vocabulary.id(of: "crown")!
        let n = model.vocabulary.count
        let target = model.synapses.row(n + id), context = model.synapses.row(id)
        let expected = target.indices.sorted { target[$0] != target[$1] ? target[$0] > target[$1] : $0 < $1 }.prefix(5)
        #expect(hasher.staticCode(id: id).activeBits == expected.sorted())
        let sum = zip(target, context).map { $0 + $1 }
        let expectedSum = sum.indices.sorted { sum[$0] != sum[$1] ? sum[$0] > sum[$1] : $0 < $1 }.prefix(5)
        #expect(try WordHasher(model: model, k: 5, readout: .sum).staticCode(id: id).activeBits == expectedSum.sorted())
    }

    @Test func zScoredReadoutStandardisesEveryUnitOverTheVocabulary() throws {
        let n = model.vocabulary.count, units = model.options.hidden
        var sums: [[Double]] = []
        for id in 1..<n {
            let target = model.synapses.row(n + id), context = model.synapses.row(id)
            sums.append((0..<units).map { Double(target[$0] + context[$0]) })
        }
        var mean = [Double](repeating: 0, count: units), sd = [Double](repeating: 0, count: units)
        for u in 0..<units {
            for v in sums { mean[u] += v[u] }
            mean[u] /= Double(sums.count)
            for v in sums { sd[u] += (v[u] - mean[u]) * (v[u] - mean[u]) }
            sd[u] = (sd[u] / Double(sums.count)).squareRoot()
        }
        let hasher = try WordHasher(model: model, k: 5, readout: .sumz)
        for id in [2, 5, n - 1] {
            let z: [Double] = (0..<units).map { (sums[id - 1][$0] - mean[$0]) / sd[$0] }
            let order: [Int] = z.indices.sorted { (a: Int, b: Int) -> Bool in z[a] != z[b] ? z[a] > z[b] : a < b }
            let expected = Array(order.prefix(5)).sorted()
            #expect(hasher.staticCode(id: id).activeBits == expected)
        }
    }

    /// Every occurrence's code against its definition, in Doubles: the top k of the word's read-out
    /// plus the context column of every context word inside its sentence and window (holes left
    /// out), z-scored as a whole for `sumz`. The text has holes, sentence edges and short sentences.
    @Test(arguments: [Readout.target, .context, .sum, .sumz])
    func contextualCodesFollowTheirDefinition(readout: Readout) throws {
        let n = model.vocabulary.count, units = model.options.hidden, w = model.options.window
        let hasher = try WordHasher(model: model, k: 4, readout: readout)
        let text = "Sea water the boat xyzzy fish wave ship sail. King crown boat\nqueen the court palace prince royal throne crown king."
        func column(_ input: Int) -> [Double] { model.synapses.row(input).map(Double.init) }
        var mean = [Double](repeating: 0, count: units), sd = [Double](repeating: 1, count: units)
        if readout == .sumz {
            let sums = (1..<n).map { id in zip(column(n + id), column(id)).map { $0 + $1 } }
            for u in 0..<units {
                mean[u] = sums.map { $0[u] }.reduce(0, +) / Double(sums.count)
                sd[u] = (sums.map { ($0[u] - mean[u]) * ($0[u] - mean[u]) }.reduce(0, +) / Double(sums.count)).squareRoot()
            }
        }
        var checked = 0
        for sentence in hasher.contextualCodes(of: text) {
            let ids = sentence.map { model.vocabulary.id(of: $0.token) }
            for (p, (token, code)) in sentence.enumerated() {
                guard let id = ids[p] else { #expect(code == nil, "\(token)"); continue }
                var v: [Double]
                switch readout {
                case .target: v = column(n + id)
                case .context: v = column(id)
                default: v = zip(column(n + id), column(id)).map { $0 + $1 }
                }
                for q in max(0, p - w / 2)...min(ids.count - 1, p + (w - 1 - w / 2)) where q != p {
                    guard let c = ids[q] else { continue }
                    v = zip(v, column(c)).map { $0 + $1 }
                }
                let z = (0..<units).map { (v[$0] - mean[$0]) / sd[$0] }
                let best = z.indices.sorted { z[$0] != z[$1] ? z[$0] > z[$1] : $0 < $1 }.prefix(4).sorted()
                #expect(code?.activeBits == best, "\(token) at \(p)")
                checked += 1
            }
        }
        #expect(checked == 18)
    }

    @Test func contextualCodesDependOnContextAndReduceToStaticCodes() throws {
        let hasher = try WordHasher(model: model, k: 6, readout: .sum)
        let book = try CodeBook(model: model, k: 6, readout: .sum)
        // All-hole context (unknown words, a stop word): the static code.
        let alone = hasher.contextualCodes(of: "xyzzy plugh the boat qwerty frob")
        let boat = alone[0].first { $0.token == "boat" }!.code!
        #expect(boat == book.code(for: "boat"))
        #expect(alone[0].first { $0.token == "xyzzy" }!.code == nil)
        // The same word among sea words and among court words.
        let a = hasher.contextualCodes(of: "sea water boat fish wave")[0][2].code!
        let b = hasher.contextualCodes(of: "king crown boat queen court")[0][2].code!
        #expect(a != b)
    }

    /// The usage read-out against a straight computation from its definition, in Doubles.
    ///
    /// Dense method. Order 1: per word, the mean over its occurrences of count(c)^-0.5 times the
    /// context column of every context word c in the window, each unit z-scored over the words
    /// seen. Order 2: per word, the sum over its occurrences of count(c)^-0.5 times c's order-1
    /// profile, z-scored the same way.
    /// Sparse method: the same, but a context word adds only its m strongest context synapses
    /// (order 1), or 1 on each unit of its order-1 code, the top m of its order-1 profile rounded to
    /// half precision (order 2).
    /// Log-ratio weights (sparse, order 2): stop words are rows and contexts too. Order 1 as above,
    /// stop words' rows z-scored with the vocabulary's statistics; at order 2 each distinct pair
    /// (w, c), n times together, adds max(0, log((1 + r) / 2)) times c's order-1 code, where
    /// r = n / (N(w) · C(c)^0.75 / Σ C^0.75), N(w) is w's number of context words and C(c) the
    /// number of times c is one.
    /// With D directions: the profile minus its projection on the D directions the profile reports,
    /// which must hold nearly the variance of its D strongest principal directions; a contextual
    /// code's context additions lose their projection too.
    @Test(arguments: [(nil, 1, .dense, 0, .count), (3, 1, .dense, 0, .count), (8, 1, .dense, 0, .count), (nil, 2, .dense, 0, .count),
                      (8, 2, .dense, 0, .count), (nil, 1, .sparse, 0, .count), (3, 1, .sparse, 0, .count), (nil, 2, .sparse, 0, .count),
                      (8, 2, .sparse, 0, .count), (nil, 1, .dense, 3, .count), (nil, 2, .sparse, 3, .count), (8, 1, .sparse, 1, .count),
                      (nil, 2, .sparse, 0, .logRatio), (8, 2, .sparse, 3, .logRatio), (3, 2, .sparse, 0, .logRatio),
                      (2, 2, .sparse, 0, .logRatio), (200, 1, .sparse, 0, .count), (255, 2, .sparse, 0, .logRatio)]
          as [(Int?, Int, UsageSettings.Method, Int, UsageSettings.Weighting)])
    func usageReadoutFollowsItsDefinition(window: Int?, order: Int, method: UsageSettings.Method, directions: Int,
                                          weighting: UsageSettings.Weighting) throws {
        let model = SmallModel.wide
        var rng = SplitMix64(seed: 3)
        let words = model.vocabulary.words.dropFirst(2)
        let text = (0..<60).map { _ in
            // Skewed draws, so that context weights differ from word to word.
            (0..<(3 + Int(rng.next(below: 6)))).map { _ -> String in
                let r = Int(rng.next(below: 100))
                // Now and then the stop word "a" inside a sentence, besides "the" at its end.
                return (r % 5 == 0 ? "a " : "") + words[words.startIndex + r * r * words.count / 10_000]
            }.joined(separator: " ") + " the"
        }.joined(separator: "\n")
        // Two sentences longer than the widest window, of words already drawn, so that windows of
        // up to 255 words are cut by sentence ends far from their centre too.
        let pool = text.split(whereSeparator: \.isWhitespace)
        let long = (0..<2).map { _ in (0..<150).map { _ in String(pool[Int(rng.next(below: UInt64(pool.count)))]) }.joined(separator: " ") }
        let dir = temporaryDirectory()
        let file = dir.appendingPathComponent("usage.txt")
        write(([text] + long).joined(separator: "\n"), to: file)
        let (_, corpus, _) = try CorpusReader().read([file.path], vocabulary: model.vocabulary)
        let n = model.vocabulary.count, units = model.options.hidden, m = UsageSettings.sparseWidth(units: units)
        let width = window ?? model.options.window, before = width / 2, after = width - 1 - before
        let logRatio = weighting == .logRatio
        // Rows (and, at order 2, contexts): the vocabulary, and with log ratios the stop words.
        let all = logRatio ? n + model.vocabulary.stopWords.count : n
        /// The indices of the `count` largest values, ties to the lower index.
        func top(_ v: [Double], _ count: Int) -> [Int] {
            Array(v.indices.sorted { v[$0] != v[$1] ? v[$0] > v[$1] : $0 < $1 }.prefix(count))
        }
        /// Per row, the sum over its occurrences of the weighted vectors of its vocabulary context words.
        func contextSums(_ vector: (Int) -> [Double]) -> [[Double]] {
            var sums = [[Double]](repeating: [Double](repeating: 0, count: units), count: all)
            for s in 0..<corpus.sentenceCount {
                let ids = corpus.sentence(s).map(Int.init)
                for p in ids.indices where ids[p] != 0 && ids[p] < all {
                    for q in max(0, p - before)...min(ids.count - 1, p + after) where q != p && ids[q] != 0 && ids[q] < n {
                        let weight = 1 / Double(model.vocabulary.counts[ids[q]]).squareRoot()
                        let v = vector(ids[q])
                        for u in 0..<units { sums[ids[p]][u] += weight * v[u] }
                    }
                }
            }
            return sums
        }
        var seen = [Int](repeating: 0, count: all)
        for id in corpus.withIds(Array.init) where id != 0 && id < all { seen[Int(id)] += 1 }
        let used = (1..<n).filter { seen[$0] > 0 }
        let usedStops = (n..<all).filter { seen[$0] > 0 }
        if logRatio { #expect(usedStops.count == 2) }
        /// Each unit z-scored over the used words (the stop words' rows too, with the words'
        /// statistics); zero for the others.
        var deviation = [Double](repeating: 0, count: units)  // of the last z-scoring
        func zScored(_ rows: [[Double]]) -> [[Double]] {
            var z = [[Double]](repeating: [Double](repeating: 0, count: units), count: all)
            for u in 0..<units {
                let column = used.map { rows[$0][u] }
                let mean = column.reduce(0, +) / Double(column.count)
                let sd = (column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(column.count)).squareRoot()
                deviation[u] = sd
                // A unit no word moves (the sparse method leaves some) stays zero.
                for id in used + usedStops where id < rows.count { z[id][u] = sd > 0 ? (rows[id][u] - mean) / sd : 0 }
            }
            return z
        }
        /// What word `id` adds as a context word at order 1 (before its weight).
        func firstOrderVector(_ id: Int) -> [Double] {
            let column = model.synapses.row(id).map(Double.init)
            guard method == .sparse else { return column }
            var sparse = [Double](repeating: 0, count: units)
            for u in top(column, m) { sparse[u] = column[u] }
            return sparse
        }
        let firstSums = contextSums(firstOrderVector)
        var profile = zScored((0..<all).map { id in firstSums[id].map { $0 / Double(max(seen[id], 1)) } })
        var contribution = firstOrderVector
        if order == 2 {
            let first = profile
            /// Order 2: what a context word adds, its order-1 profile or code (nothing if unseen).
            contribution = { id in
                guard method == .sparse else { return first[id] }
                var code = [Double](repeating: 0, count: units)
                if seen[id] > 0 { for u in top(first[id].map { Double(Float16($0)) }, m) { code[u] = 1 } }
                return code
            }
            if logRatio {
                // N(w) counts w's contexts, N(c) c's times as a context: they differ when the
                // window is longer on one side.
                var pairs: [Int: [Int: Double]] = [:], total = [Double](repeating: 0, count: all)
                var asContext = [Double](repeating: 0, count: all)
                for s in 0..<corpus.sentenceCount {
                    let ids = corpus.sentence(s).map(Int.init)
                    for p in ids.indices where ids[p] != 0 && ids[p] < all {
                        for q in max(0, p - before)...min(ids.count - 1, p + after) where q != p && ids[q] != 0 && ids[q] < all {
                            pairs[ids[p], default: [:]][ids[q], default: 0] += 1
                            total[ids[p]] += 1
                            asContext[ids[q]] += 1
                        }
                    }
                }
                let smoothed = asContext.map { pow($0, 0.75) }, sum = smoothed.reduce(0, +)
                var sums = [[Double]](repeating: [Double](repeating: 0, count: units), count: n)
                for (w, row) in pairs where w < n {
                    for (c, together) in row {
                        let r = together / (total[w] * smoothed[c] / sum)
                        let weight = max(0, log((1 + r) / 2)), add = contribution(c)
                        for u in 0..<units { sums[w][u] += weight * add[u] }
                    }
                }
                profile = zScored(sums)
            } else {
                profile = zScored(contextSums(contribution))
            }
        }
        /// The top 5 of `z`, up to the half-precision rounding of the profile.
        func expectTop5(_ code: BinaryCode?, of z: [Double], _ what: String) {
            let active = Set(code?.activeBits ?? [])
            let fifth = z[top(z, 5)[4]], tolerance = 0.01 * max(1, abs(fifth))
            #expect(active.count == 5, "\(what)")
            #expect(active.allSatisfy { z[$0] >= fifth - tolerance }, "\(what)")
            #expect(z.indices.allSatisfy { active.contains($0) || z[$0] <= fifth + tolerance }, "\(what)")
        }
        let settings = UsageSettings(window: window ?? model.options.window, order: order, power: UsageProfile.defaultPower, method: method,
                                     directions: directions, weighting: weighting)
        let usage = try UsageProfile(model: model, corpus: corpus, settings: settings)
        let hasher = try WordHasher(model: model, k: 5, readout: .usage, usage: usage)
        #expect(usage.directions.count == directions && usage.settings.directions == directions)
        let found = (0..<directions).map { d in (0..<units).map { Double(usage.directions.vectors[d * units + $0]) } }
        if directions > 0 {
            // The variance along the found directions against that along the strongest ones (the
            // covariance's largest eigenvalues, by power iteration with deflation).
            var covariance = [[Double]](repeating: [Double](repeating: 0, count: units), count: units)
            for id in used { for a in 0..<units { for b in 0..<units { covariance[a][b] += profile[id][a] * profile[id][b] } } }
            func times(_ v: [Double]) -> [Double] { covariance.map { row in zip(row, v).reduce(0) { $0 + $1.0 * $1.1 } } }
            func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
            var strongest: [[Double]] = [], best = 0.0
            for _ in 0..<directions {
                var v = (0..<units).map { Double(($0 * 7919) % 13) - 6 }
                for _ in 0..<3000 {
                    v = times(v)
                    for e in strongest { let c = dot(v, e); v = zip(v, e).map { $0 - c * $1 } }
                    let norm = dot(v, v).squareRoot()
                    v = v.map { $0 / norm }
                }
                strongest.append(v)
                best += dot(v, times(v))
            }
            let held = found.reduce(0) { $0 + dot($1, times($1)) }
            #expect(held >= 0.98 * best && held <= best * 1.001, "variance \(held) of \(best)")
            for a in 0..<directions { for b in 0..<directions { #expect(abs(dot(found[a], found[b]) - (a == b ? 1 : 0)) < 1e-5) } }
        }
        /// `v` minus its projection on the found directions.
        func removed(_ v: [Double]) -> [Double] {
            var v = v
            for e in found {
                let c = zip(v, e).reduce(0) { $0 + $1.0 * $1.1 }
                for u in 0..<units { v[u] -= c * e[u] }
            }
            return v
        }
        for id in used { profile[id] = removed(profile[id]) }
        // The same profile on 1 and 3 threads: each word's sums keep one order.
        let one = try WordHasher(model: model, k: 5, readout: .usage, usage: UsageProfile(model: model, corpus: corpus, settings: settings, threads: 1))
        let three = try WordHasher(model: model, k: 5, readout: .usage, usage: UsageProfile(model: model, corpus: corpus, settings: settings, threads: 3))
        #expect(used.allSatisfy { one.staticCode(id: $0) == three.staticCode(id: $0) && one.staticCode(id: $0) == hasher.staticCode(id: $0) })
        for id in used { expectTop5(hasher.staticCode(id: id), of: profile[id], model.vocabulary.words[id]) }
        // Contextual codes: the profile plus each context word's weighted contribution over the
        // profile's deviation, for the words around each occurrence inside its sentence, holes
        // (a stop word, an unknown word) left out.
        let sample = "Sea water the boat xyzzy fish wave ship sail crown. King boat\nqueen the court palace prince royal"
        var occurrences = 0
        for sentence in hasher.contextualCodes(of: sample) {
            let ids = sentence.map { model.vocabulary.id(of: $0.token) }
            for p in ids.indices {
                guard let id = ids[p] else { #expect(sentence[p].code == nil); continue }
                var added = [Double](repeating: 0, count: units)
                for q in max(0, p - before)...min(ids.count - 1, p + after) where q != p {
                    guard let c = ids[q] else { continue }
                    let g = 1 / Double(max(model.vocabulary.counts[c], 1)).squareRoot(), add = contribution(c)
                    for u in 0..<units where deviation[u] > 0 { added[u] += g * add[u] / deviation[u] }
                }
                let v = zip(profile[id], removed(added)).map { $0 + $1 }
                expectTop5(sentence[p].code, of: v, "\(sentence[p].token) at \(p)")
                occurrences += 1
            }
        }
        #expect(occurrences == 15)
        let unseen = (1..<n).first { seen[$0] == 0 }!
        #expect(!hasher.hasStaticCode(id: unseen))
        // With no context words an occurrence's code is the static one; context changes it.
        let boat = model.vocabulary.id(of: "boat")!
        #expect(hasher.contextualCode(id: boat, context: []) == hasher.staticCode(id: boat))
        let sea = ["sea", "water", "fish", "wave"].map { model.vocabulary.id(of: $0)! }
        let court = ["king", "crown", "queen", "court"].map { model.vocabulary.id(of: $0)! }
        // Context moves the code when there is enough of it: one occurrence is a small part of a
        // word's profile (a log-ratio profile sums far larger weights than the count weights an
        // occurrence's context adds).
        let times = 40
        #expect(hasher.contextualCode(id: boat, context: Array([[Int]](repeating: sea, count: times).joined()))
                != hasher.contextualCode(id: boat, context: Array([[Int]](repeating: court, count: times).joined())))
        if order == 2 {
            // A word the corpus never held has no order-1 description, so it adds nothing.
            #expect(hasher.contextualCode(id: boat, context: sea + [unseen]) == hasher.contextualCode(id: boat, context: sea))
            #expect(hasher.contextualCode(id: boat, context: Array(repeating: unseen, count: 200)) == hasher.staticCode(id: boat))
        }
        #expect(throws: FlyVecError.self) { try WordHasher(model: model, k: 5, readout: .usage) }
        #expect(throws: FlyVecError.self) { try UsageProfile(model: model, corpus: corpus, order: 3) }
        #expect(throws: FlyVecError.self) { try UsageProfile(model: model, corpus: corpus, window: 1) }
    }

    /// Ids after the last sentence end belong to no sentence: both methods leave them out.
    @Test(arguments: UsageSettings.Method.allCases)
    func usageIgnoresIdsAfterTheLastSentence(method: UsageSettings.Method) throws {
        let model = SmallModel.wide
        let ids = ["sea", "water", "ship", "fish", "king", "crown", "queen", "court", "ship", "sea"].map { UInt32(model.vocabulary.id(of: $0)!) }
        let settings = UsageSettings(window: 3, order: 2, method: method)
        let cut = try UsageProfile(model: model, corpus: try EncodedCorpus(ids: Array(ids.prefix(8)), sentenceEnds: [4, 8]), settings: settings)
        let longer = try UsageProfile(model: model, corpus: try EncodedCorpus(ids: ids, sentenceEnds: [4, 8]), settings: settings)
        let a = try WordHasher(model: model, k: 3, readout: .usage, usage: cut), b = try WordHasher(model: model, k: 3, readout: .usage, usage: longer)
        for id in 1..<model.vocabulary.count { #expect(a.staticCode(id: id) == b.staticCode(id: id)) }
    }

    /// A corpus long enough (300,000 ids) that the co-occurrence set-up splits it among threads,
    /// with empty sentences, stop words and unknown words among its ids: the profile is the same
    /// on 1 and 2 threads (its directions to the last bit, and every code), for both weightings,
    /// and the same when the counted rows are not kept for the later passes.
    @Test(arguments: [UsageSettings.Weighting.count, .logRatio])
    func largeCorpusProfileIsTheSameOnAnyThreadCount(weighting: UsageSettings.Weighting) throws {
        let model = SmallModel.wide
        let n = model.vocabulary.count, stops = model.vocabulary.stopWords.count
        var rng = SplitMix64(seed: 21)
        var ids: [UInt32] = [], ends: [Int] = []
        while ids.count < 300_000 {
            for _ in 0..<Int(rng.next(below: 40)) {
                let r = rng.next(below: 100)
                ids.append(r < 3 ? 0 : r < 13 ? UInt32(n) + UInt32(rng.next(below: UInt64(stops))) : 1 + UInt32(rng.next(below: UInt64(n - 1))))
            }
            ends.append(ids.count)
        }
        let corpus = try EncodedCorpus(ids: ids, sentenceEnds: ends)
        let settings = UsageSettings(window: 11, order: 2, directions: 2, weighting: weighting)
        let one = try UsageProfile(model: model, corpus: corpus, settings: settings, threads: 1)
        let two = try UsageProfile(model: model, corpus: corpus, settings: settings, threads: 2)
        // No rows kept for the later passes, which count them again: none fit, or the room runs out
        // part-way through the first pass.
        let none = try UsageProfile(model: model, corpus: corpus, settings: settings, threads: 2, keptEntries: 0)
        let some = try UsageProfile(model: model, corpus: corpus, settings: settings, threads: 2, keptEntries: 400)
        let a = try WordHasher(model: model, k: 8, readout: .usage, usage: one)
        for other in [two, none, some] {
            #expect(one.directions.count == 2 && one.directions.vectors == other.directions.vectors)
            let b = try WordHasher(model: model, k: 8, readout: .usage, usage: other)
            for id in 1..<n { #expect(a.staticCode(id: id) == b.staticCode(id: id)) }
        }
        #expect(throws: FlyVecError.self) { try UsageProfile(model: model, corpus: corpus, settings: settings, keptEntries: -1) }
    }

    @Test func badKIsRejected() {
        #expect(throws: FlyVecError.self) { try CodeBook(model: model, k: 0, readout: .sum) }
        #expect(throws: FlyVecError.self) { try CodeBook(model: model, k: 41, readout: .sum) }
    }
}
