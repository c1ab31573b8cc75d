import Foundation
import FlyVec

/// A fresh temporary folder for one test.
func temporaryDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("flyvec-tests-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func write(_ text: String, to url: URL) {
    try! Data(text.utf8).write(to: url)
}

func write(_ bytes: [UInt8], to url: URL) {
    try! Data(bytes).write(to: url)
}

/// Reads a corpus given as text through the real reader, with small-corpus vocabulary options.
func encode(_ text: String, minCount: Int = 1, stopWords: [String] = [], maxSize: Int = 20_000) throws
    -> (Vocabulary, EncodedCorpus, CorpusStatistics)
{
    let dir = temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("corpus.txt")
    write(text, to: file)
    var reader = CorpusReader()
    reader.vocabulary.minCount = minCount
    reader.vocabulary.stopWords = stopWords
    reader.vocabulary.maxSize = maxSize
    reader.vocabulary.maxSentenceFraction = 1
    return try reader.read([file.path])
}

/// Tokens of every sentence, read through `ByteSource` and `Tokenizer` from a file.
func sentences(ofFile path: String, options: TokenizerOptions = TokenizerOptions()) throws -> [[String]] {
    struct Collect: TokenSink {
        var out: [[String]] = [[]]
        mutating func token(_ b: UnsafeRawBufferPointer, hasDigit: Bool) {
            out[out.count - 1].append(hasDigit ? "<NUM>" : String(decoding: b, as: UTF8.self))
        }
        mutating func overlongToken() { out[out.count - 1].append("<UNK>") }
        mutating func endSentence() { out.append([]) }
    }
    var tok = Tokenizer(options: options)
    var sink = Collect()
    do {
        try ByteSource(path: path).forEachChunk { try tok.feed($0, into: &sink) }
        try tok.finish(into: &sink)
    } catch let e as FlyVecError where e.file == nil {
        throw e.naming(path)
    }
    sink.out.removeLast()
    return sink.out
}

/// A random corpus over `words` distinct words, as text, from a seeded generator.
func randomText(words: Int, sentences: Int, length: ClosedRange<Int>, seed: UInt64) -> String {
    var rng = SplitMix64(seed: seed)
    var lines: [String] = []
    for _ in 0..<sentences {
        let n = Int(rng.next(below: UInt64(length.count))) + length.lowerBound
        lines.append((0..<n).map { _ in "w\(letters(Int(rng.next(below: UInt64(words)))))" }.joined(separator: " "))
    }
    return lines.joined(separator: "\n") + "\n"
}

/// Digit-free spelling of a number, so generated words are not <NUM> tokens.
func letters(_ n: Int) -> String {
    var n = n, s = ""
    repeat { s.append(Character(UnicodeScalar(UInt8(97 + n % 26)))); n /= 26 } while n > 0
    return s
}
