import Foundation

extension Vocabulary {
    /// The vocabulary as TSV: `word<TAB>count` a line, `<UNK>` and `<NUM>` first, then the words
    /// by descending count, ties by word — the id order.
    public func tsv() -> String {
        var out = ""
        out.reserveCapacity(count * 12)
        for (w, c) in zip(words, counts) { out += "\(w)\t\(c)\n" }
        return out
    }

    /// Reads a TSV vocabulary file (as written by `tsv()`, or edited by hand): see `init(tsv:stopWords:)`.
    public static func read(tsvAt path: String, stopWords: [String]) throws -> Vocabulary {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FlyVecError(.cannotRead, "cannot read the vocabulary file", file: path)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw FlyVecError(.invalidInput, "the vocabulary is not valid UTF-8", file: path)
        }
        do {
            return try Vocabulary(tsv: text, stopWords: stopWords)
        } catch let e as FlyVecError {
            throw e.naming(path)
        }
    }

    /// A vocabulary from TSV text, the one parser of vocabulary files and of the vocabulary inside
    /// a model file: `word<TAB>count` a line, ids in line order; blank lines and lines starting
    /// with `#` (which no token does) are skipped; `<UNK>` and `<NUM>` are added with count 0 when
    /// missing and must otherwise come first.
    public init(tsv text: String, stopWords: [String]) throws {
        var words: [String] = [], counts: [Int] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 2, !fields[0].isEmpty, let c = Int(fields[1]), c >= 0 else {
                throw FlyVecError(.invalidInput, "expected 'word<TAB>count', got '\(line.prefix(40))'", position: "line \(n + 1)")
            }
            words.append(String(fields[0]))
            counts.append(c)
        }
        if !words.contains(Self.unknownToken) { words.insert(Self.unknownToken, at: 0); counts.insert(0, at: 0) }
        if !words.contains(Self.numToken) { words.insert(Self.numToken, at: 1); counts.insert(0, at: 1) }
        if words[0] != Self.unknownToken || words[1] != Self.numToken {
            throw FlyVecError(.invalidInput, "<UNK> and <NUM> must be the first two entries")
        }
        try self.init(words: words, counts: counts, stopWords: Set(stopWords))
    }
}
