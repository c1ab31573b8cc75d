import Foundation

/// The static codes of a vocabulary, loaded from a code file or computed from a model: look up a
/// word's code, compare codes, find nearest neighbours.
///
/// Immutable and `Sendable`: one loaded code book can be queried from many threads at once.
public struct CodeBook: Sendable {
    /// Bits per code (the model's K).
    public let bits: Int
    /// Active bits per code.
    public let k: Int
    /// The read-out the codes were made with.
    public let readout: Readout
    /// The words, in the order of their codes.
    public let words: [String]
    /// The codes, in the order of `words`, for exhaustive Hamming search.
    public let index: HammingIndex
    /// The same codes as one list per bit, for queries whose lists are cheaper to walk than a scan
    /// (nil for k over 255 or K over 65,536). Both give the same answers.
    public let postings: PostingIndex?
    private let positions: [String: Int]

    /// A code book from packed codes, ⌈bits/64⌉ words per code in the order of `words`, each with
    /// exactly `k` bits set, none at or beyond `bits`.
    /// - Throws: ``FlyVecError`` `mismatch` when `codes` has the wrong length or a code breaks
    ///   those rules, `invalidParameter` for `bits` or `k` out of range, `invalidInput` when a word
    ///   appears twice.
    public init(bits: Int, k: Int, readout: Readout, words: [String], codes: [UInt64]) throws {
        guard bits >= 1 else { throw FlyVecError.parameter("bits", "must be at least 1 (got \(bits))") }
        guard k >= 1 && k <= bits else { throw FlyVecError.parameter("k", "must be between 1 and \(bits) (got \(k))") }
        guard codes.count == words.count * ((bits + 63) / 64) else {
            throw FlyVecError(.mismatch, "\(words.count) words need \(words.count * ((bits + 63) / 64)) code words, got \(codes.count)")
        }
        let perCode = (bits + 63) / 64, padding: UInt64 = bits % 64 == 0 ? 0 : ~0 << UInt64(bits % 64)
        for c in 0..<words.count {
            let code = codes[(c * perCode)..<((c + 1) * perCode)]
            guard code.reduce(0, { $0 + $1.nonzeroBitCount }) == k && code.last! & padding == 0 else {
                throw FlyVecError(.mismatch, "the code of '\(words[c])' does not have exactly k = \(k) bits set below \(bits)")
            }
        }
        var positions: [String: Int] = [:]
        positions.reserveCapacity(words.count)
        for (i, w) in words.enumerated() where positions.updateValue(i, forKey: w) != nil {
            throw FlyVecError(.invalidInput, "word '\(w)' appears twice")
        }
        self.bits = bits
        self.k = k
        self.readout = readout
        self.words = words
        self.positions = positions
        index = try HammingIndex(bits: bits, storage: codes)
        postings = k <= 255 && bits <= 1 << 16 ? try PostingIndex(index, k: k) : nil
    }

    /// The static codes of every vocabulary word of `model` (`<UNK>` has none); the defaults are
    /// `WordHasher`'s.
    public init(model: Model, k: Int? = nil, readout: Readout? = nil, usage: UsageProfile? = nil) throws {
        try self.init(hasher: try WordHasher(model: model, k: k, readout: readout, usage: usage))
    }

    /// The static codes `hasher` gives the vocabulary words of its model (`<UNK>` has none, nor,
    /// for the `usage` read-out, a word its profile's corpus never holds).
    /// - Parameters:
    ///   - hasher: the model and read-out the codes come from.
    ///   - threads: threads that make codes (the codes do not depend on it).
    ///   - progress: called now and then, on the calling thread, with the words done and the words in all.
    public init(hasher: WordHasher, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws {
        let model = hasher.model
        let ids = (1..<model.vocabulary.count).filter { hasher.hasStaticCode(id: $0) }
        var codes: [UInt64] = []
        codes.reserveCapacity(ids.count * ((model.options.hidden + 63) / 64))
        // Rounds of a few chunks per thread, so that progress is reported between them.
        let chunk = 256, round = chunk * 4 * max(1, threads)
        for start in stride(from: 0, to: ids.count, by: round) {
            progress?(start, ids.count)
            let end = min(ids.count, start + round)
            let parts = concurrentMap((end - start + chunk - 1) / chunk, threads: threads) { c in
                ids[(start + c * chunk)..<min(end, start + (c + 1) * chunk)].flatMap { hasher.staticCode(id: $0).words }
            }
            for part in parts { codes += part }
        }
        progress?(ids.count, ids.count)
        try self.init(bits: model.options.hidden, k: hasher.k, readout: hasher.readout,
                      words: ids.map { model.vocabulary.words[$0] }, codes: codes)
    }

    /// Number of words with a code.
    public var count: Int { words.count }

    /// Whether `word` has a code.
    public func contains(_ word: String) -> Bool { positions[word] != nil }

    /// The static code of `word`, or nil for a word out of the vocabulary (or a stop word).
    public func code(for word: String) -> BinaryCode? {
        guard let p = positions[word] else { return nil }
        return code(at: p)
    }

    /// The code of `words[position]`; `position` must be in 0..<count.
    public func code(at position: Int) -> BinaryCode {
        let w = index.wordsPerCode
        return BinaryCode(bits: bits, words: Array(index.storage[(position * w)..<((position + 1) * w)]))
    }

    /// The paper's similarity (n11 + n00) / K of two words' codes; nil if either has none.
    public func similarity(_ a: String, _ b: String) -> Double? {
        guard let x = code(for: a), let y = code(for: b) else { return nil }
        return x.similarity(to: y)
    }

    /// The Hamming distance of two words' codes; nil if either has none.
    public func hammingDistance(_ a: String, _ b: String) -> Int? {
        guard let x = code(for: a), let y = code(for: b) else { return nil }
        return x.hammingDistance(to: y)
    }

    /// A neighbour with its similarity (n11 + n00) / K.
    public struct Match: Sendable, Equatable {
        /// The neighbour, a word of the code book.
        public let word: String
        /// The fraction of the K bits where its code and the query agree, 0…1.
        public let similarity: Double
        /// Hamming distance to the query: bits that differ, 0…K.
        public let distance: Int
    }

    /// The `count` words nearest to `word` (itself left out); nil if the word has no code.
    public func nearest(to word: String, count: Int = 10) -> [Match]? {
        guard let p = positions[word] else { return nil }
        return matches(search(code(at: p), count: count, excluding: p))
    }

    /// The `count` words whose codes are nearest to `code`.
    public func nearest(to code: BinaryCode, count: Int = 10) -> [Match] {
        precondition(code.bits == bits, "a \(code.bits)-bit query for \(bits)-bit codes")
        return matches(search(code, count: count, excluding: nil))
    }

    /// The posting lists when walking the query's lists and counting over every code costs less
    /// than reading every code's words (the two costs about equal per posting, per code and per
    /// word read: docs/BENCHMARKS.md, "Search"); else the scan. The answers are the same.
    private func search(_ code: BinaryCode, count: Int, excluding: Int?) -> [Neighbor] {
        let active = code.activeBits
        if let postings, active.count == k, postings.postings(of: active) + index.count < index.count * index.wordsPerCode {
            return postings.nearest(to: active, count: count, excluding: excluding)
        }
        return index.nearest(to: code.words, count: count, excluding: excluding)
    }

    private func matches(_ n: [Neighbor]) -> [Match] {
        n.map { Match(word: words[$0.index], similarity: Double(bits - $0.distance) / Double(bits), distance: $0.distance) }
    }
}
