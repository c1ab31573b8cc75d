// Prints speed measurements: make bench runs it; docs/BENCHMARKS.md records what it printed.
import Dispatch
import FlyVec
import Foundation

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let c = ContinuousClock()
    let t = try c.measure(body)
    return Double(t.components.seconds) + Double(t.components.attoseconds) * 1e-18
}

/// Median of `runs` timings of `body`.
func median(_ runs: Int, _ body: () throws -> Void) rethrows -> Double {
    var t: [Double] = []
    for _ in 0..<runs { t.append(try seconds(body)) }
    return t.sorted()[runs / 2]
}

let args = CommandLine.arguments.dropFirst()
let cores = ProcessInfo.processInfo.activeProcessorCount
let runs = 3

/// `flyvec-bench search CODES QUERIES BITS`: raw little-endian codes of BITS bits (⌈BITS/64⌉ words
/// each) written by scripts/compare_faiss.py; prints, for the dense scan and for the posting lists,
/// the timings the script measures for FAISS (median of 5), and the answers to the first query.
if args.first == "search" {
    func load(_ path: String) -> [UInt64] {
        let data = FileManager.default.contents(atPath: path)!
        return data.withUnsafeBytes { Array($0.bindMemory(to: UInt64.self)) }
    }
    let a = Array(args)
    let bits = a.count > 3 ? Int(a[3])! : 400, w = (bits + 63) / 64
    let index = try! HammingIndex(bits: bits, storage: load(a[1]))
    let flat = load(a[2])
    let queries = (0..<(flat.count / w)).map { Array(flat[($0 * w)..<($0 * w + w)]) }
    let active = queries.map { BinaryCode(bits: bits, words: $0).activeBits }
    let postings = try! PostingIndex(index, k: active[0].count)
    var dense: [[Neighbor]] = [], sparse: [[Neighbor]] = []
    let single = median(5) { dense = queries.map { index.nearest(to: $0, count: 10) } }
    let batch = median(5) { _ = index.nearest(to: queries, count: 10, threads: cores) }
    let postingSingle = median(5) { sparse = active.map { postings.nearest(to: $0, count: 10) } }
    let postingBatch = median(5) { _ = postings.nearest(to: active, count: 10, threads: cores) }
    precondition(dense == sparse, "the posting lists and the scan disagree")
    let walked = active.reduce(0) { $0 + postings.postings(of: $1) } / active.count
    print(String(format: "{\"single_s\": %.6f, \"batch_s\": %.6f, \"postings_single_s\": %.6f, \"postings_batch_s\": %.6f, \"postings_walked\": %d, \"postings_bytes\": %d, \"first\": [%@]}",
                 single, batch, postingSingle, postingBatch, walked, postings.memoryBytes,
                 dense[0].map { "[\($0.index), \($0.distance)]" }.joined(separator: ", ")))
    exit(0)
}

let corpora = args.isEmpty ? ["../corpora/kjv.txt.zst"] : Array(args)

for path in corpora {
    print("== \(path)")
    var stats = CorpusStatistics()
    var result: (Vocabulary, EncodedCorpus, CorpusStatistics)?
    let read = try median(runs) { result = try CorpusReader().read([path]); stats = result!.2 }
    print(String(format: "read+tokenize+encode: %.1f MB/s of text (%.0f words/s), median of %d", Double(stats.bytes) / read / 1e6, Double(stats.tokens) / read, runs))
    let (vocab, corpus, _) = result!
    // The settings docs/BENCHMARKS.md measured: K 400, window 7, batch 10,000, five epochs.
    let options = TrainingOptions.classic
    let windows = try Windows(corpus: corpus, width: options.window, vocabularySize: vocab.count)
    for threads in Set([1, cores]).sorted() {
        let syn = try Synapses(units: options.hidden, inputs: 2 * vocab.count, sigma: options.sigma, seed: 1)
        let trainer = try Trainer(synapses: syn, windows: windows, counts: vocab.counts, options: options, threads: threads)
        _ = try! trainer.trainEpoch(0)  // warm-up epoch: trained synapses, as in a real run
        let forward = median(runs) { try! trainer.forwardOnly(count: windows.count) }
        let full = median(runs) { _ = try! trainer.trainEpoch(1) }
        print(String(format: "%d thread(s): forward-only %.2fM windows/s; full trainer %.2fM windows/s (%.0f%% of forward), %.2fM corpus words/s",
                     threads, Double(windows.count) / forward / 1e6, Double(windows.count) / full / 1e6, 100 * forward / full,
                     Double(corpus.tokenCount) / full / 1e6))
    }
}

// Search: random 400-bit codes with 50 bits set.
print("== search")
func randomCodes(_ n: Int, seed: UInt64) -> [UInt64] {
    var rng = SplitMix64(seed: seed)
    var out = [UInt64](repeating: 0, count: n * 7)
    for i in 0..<n {
        var set = 0
        while set < 50 {
            let b = Int(rng.next(below: 400))
            let mask: UInt64 = 1 << UInt64(b & 63)
            if out[i * 7 + b >> 6] & mask == 0 { out[i * 7 + b >> 6] |= mask; set += 1 }
        }
    }
    return out
}
let million = try! HammingIndex(bits: 400, storage: randomCodes(1_000_000, seed: 1))
let queries = (0..<100).map { q in Array(million.storage[(q * 7919 * 7)..<(q * 7919 * 7 + 7)]) }
let single = median(runs) { for q in queries { _ = million.nearest(to: q, count: 10) } }
print(String(format: "1,000,000 codes, one thread: %.0fM code comparisons/s; %.2f ms per top-10 query", 100e6 / single / 1e6, single / 100 * 1e3))
let batch = (0..<1000).map { q in Array(million.storage[(q * 997 * 7)..<(q * 997 * 7 + 7)]) }
let batched = median(runs) { _ = million.nearest(to: batch, count: 10, threads: cores) }
print(String(format: "1,000 top-10 queries batched on %d threads: %.3f s (%.0fM comparisons/s)", cores, batched, 1e9 / batched / 1e6))
let vocab = try! HammingIndex(bits: 400, storage: randomCodes(20_000, seed: 2))
let small = median(runs) { for q in queries { _ = vocab.nearest(to: q, count: 10) } }
print(String(format: "20,000-word vocabulary: %.3f ms per top-10 query", small / 100 * 1e3))
