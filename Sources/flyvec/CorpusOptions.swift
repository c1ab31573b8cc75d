import Foundation
import ArgumentParser
import FlyVec

/// Options shared by every command that reads a corpus.
struct CorpusOptions: ParsableArguments {
    @Argument(help: "Corpus files, plain UTF-8 or zstd (detected by content); '-' reads standard input.")
    var corpus: [String]

    @Flag(help: "Drop every non-ASCII character, as the reference implementation does.")
    var ascii = false

    @Flag(help: "Reject invalid UTF-8 (default: drop the bad bytes and count them).")
    var strict = false

    @Flag(help: "The text is split into tokens already (e.g. phrases joined as new_york): split on white space only, a line is a sentence, tokens kept as they are.")
    var pretokenized = false

    @Option(help: "Keep words seen at least this often.")
    var minCount = 15

    @Option(help: "Keep at most this many words (plus <UNK> and <NUM>).")
    var vocabSize = 20_000

    @Option(help: "Drop words found in more than this fraction of sentences.")
    var maxSentenceFraction = 0.8

    @Option(help: "A file of stop words (separated by spaces or lines; '#' starts a comment line) instead of the built-in English list.")
    var stopWords: String?

    @Flag(help: "Use no stop words at all.")
    var noStopWords = false

    func validate() throws {
        if corpus.isEmpty { throw ValidationError("name at least one corpus file, or '-' for standard input") }
        if minCount < 1 { throw ValidationError("--min-count must be at least 1 (got \(minCount))") }
        if vocabSize < 1 { throw ValidationError("--vocab-size must be at least 1 (got \(vocabSize))") }
        if !(maxSentenceFraction > 0 && maxSentenceFraction <= 1) {
            throw ValidationError("--max-sentence-fraction must be in (0, 1] (got \(maxSentenceFraction))")
        }
    }

    var tokenizer: TokenizerOptions { TokenizerOptions(ascii: ascii, strict: strict, pretokenized: pretokenized) }

    func stopWordList() throws -> [String] { try StopWordList.read(path: stopWords, none: noStopWords) }

    func reader(progress: ProgressLine? = nil) throws -> CorpusReader {
        var r = CorpusReader()
        r.tokenizer = tokenizer
        r.vocabulary.minCount = minCount
        r.vocabulary.maxSize = vocabSize
        r.vocabulary.maxSentenceFraction = maxSentenceFraction
        r.vocabulary.stopWords = try stopWordList()
        if let progress {
            let total = plainSize()
            r.progress = { progress.reading(bytes: $0, total: total) }
        }
        return r
    }

    /// The bytes the reader will see, when every input is a plain (not zstd) regular file.
    func plainSize() -> Int? {
        var total = 0
        for path in corpus {
            // Only regular files: a directory or a pipe is reported by the reader, not read here.
            guard path != "-", let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  attributes[.type] as? FileAttributeType == .typeRegular, let size = attributes[.size] as? Int,
                  let handle = FileHandle(forReadingAtPath: path) else { return nil }
            defer { try? handle.close() }
            guard let head = try? handle.read(upToCount: 4),
                  !(head.count == 4 && head.withUnsafeBytes { Zstd.startsFrame($0) }) else { return nil }
            total += size
        }
        return total
    }
}

/// The stop words a command uses: none, a file's, or the built-in English list.
enum StopWordList {
    /// Words separated by spaces or lines; lines starting with '#' are comments.
    static func read(path: String?, none: Bool) throws -> [String] {
        if none { return [] }
        guard let path else { return EnglishStopWords.words }
        let text = String(decoding: try AtomicFile.read(path), as: UTF8.self)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }
            .flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }) }.map { $0.lowercased() }
    }
}
