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

    /// Reads a TSV vocabulary (as written by `tsv()`, or edited by hand). Lines starting with `#` and
    /// blank lines are skipped; missing specials are added with count 0; ids follow the line order.
    public static func read(tsvAt path: String, stopWords: [String]) throws -> Vocabulary {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FlyVecError.file(path, "cannot read the vocabulary file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw FlyVecError.file(path, "the vocabulary is not valid UTF-8")
        }
        var words: [String] = [], counts: [Int] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 2, !fields[0].isEmpty, let c = Int(fields[1]), c >= 0 else {
                throw FlyVecError.file(path, "line \(n + 1): expected 'word<TAB>count'")
            }
            words.append(String(fields[0]))
            counts.append(c)
        }
        if !words.contains(unknownToken) { words.insert(unknownToken, at: 0); counts.insert(0, at: 0) }
        if !words.contains(numToken) { words.insert(numToken, at: 1); counts.insert(0, at: 1) }
        if words[0] != unknownToken || words[1] != numToken {
            throw FlyVecError.file(path, "<UNK> and <NUM> must be the first two entries")
        }
        do {
            return try Vocabulary(words: words, counts: counts, stopWords: Set(stopWords))
        } catch let FlyVecError.invalid(why) {
            throw FlyVecError.file(path, why)
        }
    }
}
