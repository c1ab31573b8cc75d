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

    @Option(help: "Where temporary files go: the corpus's ids and the window order once they pass --spill-bytes, memory-mapped (about 8 bytes a token in all). [default: TMPDIR, else /tmp]")
    var tempDir: String?

    @Option(help: "Id streams larger than this many bytes move from memory to files in --temp-dir. [default: 1073741824]")
    var spillBytes: Int?

    func validate() throws {
        if let tempDir {
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: tempDir, isDirectory: &isDirectory) || !isDirectory.boolValue {
                throw ValidationError("--temp-dir \(tempDir) is not a directory")
            }
        }
        if let spillBytes, spillBytes < 0 { throw ValidationError("--spill-bytes must be at least 0 (got \(spillBytes))") }
        if corpus.isEmpty { throw ValidationError("name at least one corpus file, or '-' for standard input") }
    }

    var tokenizer: TokenizerOptions { TokenizerOptions(ascii: ascii, strict: strict, pretokenized: pretokenized) }

    func stopWordList() throws -> [String] { try chosenStopWords(path: stopWords, none: noStopWords) }

    func reader(progress: ProgressLine? = nil) throws -> CorpusReader {
        var r = CorpusReader()
        r.tokenizer = tokenizer
        r.vocabulary.minCount = minCount
        r.vocabulary.maxSize = vocabSize
        r.vocabulary.maxSentenceFraction = maxSentenceFraction
        r.vocabulary.stopWords = try stopWordList()
        r.spillDirectory = tempDir
        if let spillBytes { r.spillBytes = spillBytes }
        if let progress {
            let total = ByteSource.plainSize(of: corpus)
            r.progress = { progress.reading(bytes: $0, total: total) }
        }
        return r
    }

}

/// The stop words a command uses: none, a file's, or the built-in English list.
func chosenStopWords(path: String?, none: Bool) throws -> [String] {
    if none { return [] }
    return try path.map(StopWordFile.read) ?? EnglishStopWords.words
}
