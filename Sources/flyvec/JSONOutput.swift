import FlyVec
import Foundation

/// Prints `value` as one line of JSON on standard output, keys sorted so that equal results print
/// equally.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// The shapes of every command's `--json` output, encoded with `JSONEncoder`.
enum JSONOutput {
    /// A neighbour in JSON output.
    struct Neighbour: Encodable {
        let word: String
        let similarity: Double
        let distance: Int

        init(_ m: CodeBook.Match) {
            word = m.word
            similarity = m.similarity
            distance = m.distance
        }
    }

    /// `nn --json`: one object per query, `error` set (and `neighbors` absent) for a word with no code.
    struct Query: Encodable {
        let query: String
        var neighbors: [Neighbour]?
        var error: String?
    }

    /// `search --json`: one object per query, `error` set (and `documents` absent) for a query
    /// with no known word.
    struct Search: Encodable {
        struct Hit: Encodable {
            let id: String
            let position: Int
            let similarity: Double
            let distance: Int
            let snippet: String

            init(_ m: DocumentIndex.Match) {
                id = m.id
                position = m.position
                similarity = m.similarity
                distance = m.distance
                snippet = m.snippet
            }
        }
        let query: String
        var documents: [Hit]?
        var error: String?
    }

    /// `eval --json`.
    struct Eval: Encodable {
        struct Result: Encodable {
            let dataset: String
            let spearman: Double
            let pairs: Int
            let oov: Int
            let oov_pairs: [[String]]
        }
        let k: Int
        let bits: Int
        let readout: String
        let results: [Result]
    }

    /// `similarity --json`.
    struct Similarity: Encodable {
        let first: String
        let second: String
        let similarity: Double
        let hamming: Int
        let bits: Int
    }

    /// `context --json`: per sentence, per token, its nearest words in context (absent for holes).
    struct Context: Encodable {
        struct Token: Encodable {
            let token: String
            let neighbors: [Neighbour]?
        }
        let sentences: [[Token]]
    }

    /// `info --json`.
    struct Info: Encodable {
        struct ModelPart: Encodable {
            let words: Int
            let stopWords: Int
            let options: TrainingOptions
            let epochsDone: Int
            let history: [EpochResult]
            let usageProfile: UsageSettings?
            let defaultReadout: String
            let defaultK: Int
        }
        struct CodesPart: Encodable {
            let words: Int
            let bits: Int
            let k: Int
            let readout: String
            let storedBits: Int
        }
        let kind: String
        let version: UInt32
        var model: ModelPart?
        var codes: CodesPart?
    }

    /// `vocab --json` and `train --json`: what reading the corpus found.
    struct Corpus: Encodable {
        let tokens: Int
        let sentences: Int
        let types: Int
        let words: Int
        let stopWordTokens: Int
        let coverage: Double
        let bytes: Int
        let invalidBytes: Int
        let seconds: Double

        init(_ s: CorpusStatistics, _ v: Vocabulary, seconds: Double) {
            tokens = s.tokens
            sentences = s.sentences
            types = s.types
            words = v.count - 2
            stopWordTokens = s.stopWordTokens
            coverage = s.coverage
            bytes = s.bytes
            invalidBytes = s.invalidBytes
            self.seconds = seconds
        }
    }

    /// `train --json`: the run's summary, printed once the model is written.
    struct Train: Encodable {
        let output: String
        var corpus: Corpus?
        let options: TrainingOptions
        let windows: Int
        let history: [EpochResult]
        let usageProfile: UsageSettings?
        let seconds: Double
    }

    /// `vocab --json`: what reading found, and the words with their counts when not written to a file.
    struct Vocab: Encodable {
        let corpus: Corpus
        let vocabulary: [Entry]?
        struct Entry: Encodable {
            let word: String
            let count: Int
        }
    }
}
