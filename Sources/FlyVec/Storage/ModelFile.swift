import Foundation

/// The model file (`.flyvec`); docs/FORMAT.md documents it byte by byte.
///
/// Payload: the metadata as JSON (hyper-parameters, tokenizer, epoch history), the vocabulary as
/// TSV, the stop words one per line, then K, 2·N_voc and the synapses as float32, input-major.
public enum ModelFile {
    static let magic: [UInt8] = Array("FLYVECM\0".utf8)
    public static let version: UInt32 = 1

    struct Metadata: Codable {
        var options: TrainingOptions
        var ascii: Bool
        var history: [EpochResult]
    }

    /// Writes the model atomically, streaming the synapses through the compressor.
    public static func write(_ model: Model, to path: String) throws {
        // zstd's fastest mode: float synapses barely compress (en-mix: 61.2 MB of 64.2 at level 1,
        // 64.2 at level -1) and level -1 writes 2.5x faster, which counts for the checkpoint after
        // every epoch.
        try Envelope.write(to: path, magic: magic, version: version, level: -1) { w in try encode(model, into: &w) }
    }

    static func encode(_ model: Model, into w: inout ByteWriter) throws {
        let syn = model.synapses
        let meta = Metadata(options: model.options, ascii: model.tokenizer.ascii, history: model.history)
        try w.json(meta)
        w.blob(Array(model.vocabulary.tsv().utf8))
        w.blob(Array(model.vocabulary.stopWords.sorted().joined(separator: "\n").utf8))
        w.u32(UInt32(syn.units))
        w.u32(UInt32(syn.inputs))
        var row = [Float](repeating: 0, count: syn.units)
        for i in 0..<syn.inputs {
            for u in 0..<syn.units { row[u] = syn.weight(unit: u, input: i) }
            row.withUnsafeBufferPointer { w.floats($0) }
            try w.flush()
        }
    }

    public static func read(_ path: String) throws -> Model {
        try decode(try AtomicFile.read(path), file: path)
    }

    /// True when the bytes start like a model file.
    public static func matches(_ bytes: [UInt8]) -> Bool { bytes.count >= 8 && Array(bytes[0..<8]) == magic }

    public static func decode(_ bytes: [UInt8], file: String) throws -> Model {
        let payload = try Envelope.unwrap(bytes, magic: magic, versions: version...version, kind: "FlyVec model", file: file).payload
        var r = ByteReader(payload, file: file)
        let meta: Metadata
        do {
            meta = try JSONDecoder().decode(Metadata.self, from: Data(try r.blob("metadata")))
        } catch let e as FlyVecError { throw e } catch {
            throw FlyVecError.file(file, "corrupt model metadata")
        }
        do { try meta.options.validate() } catch { throw FlyVecError.file(file, "corrupt model metadata: \(error)") }
        let tsv = try r.string("vocabulary")
        let stop = try r.string("stop words").split(separator: "\n").map(String.init)
        let vocab = try parseVocabulary(tsv, stopWords: stop, file: file)
        let units = Int(try r.u32("hidden units")), inputs = Int(try r.u32("input count"))
        guard units == meta.options.hidden, inputs == 2 * vocab.count else {
            throw FlyVecError.file(file, "corrupt: synapses of \(units) × \(inputs) for K \(meta.options.hidden) and \(vocab.count) words")
        }
        let syn = Synapses(units: units, inputs: inputs)
        var row = [Float](repeating: 0, count: units)
        for i in 0..<inputs {
            try row.withUnsafeMutableBufferPointer { try r.floats(units, into: $0.baseAddress!, "synapses") }
            for u in 0..<units {
                guard row[u].isFinite else { throw FlyVecError.file(file, "corrupt: a synapse is not a finite number") }
                syn.storage[i * syn.stride + u] = row[u]
            }
        }
        try r.expectEnd("the synapses")
        syn.refreshColumnStatistics()
        return Model(vocabulary: vocab, synapses: syn, options: meta.options,
                     tokenizer: TokenizerOptions(ascii: meta.ascii), history: meta.history)
    }

    static func parseVocabulary(_ tsv: String, stopWords: [String], file: String) throws -> Vocabulary {
        var words: [String] = [], counts: [Int] = []
        for line in tsv.split(separator: "\n") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard f.count == 2, let c = Int(f[1]) else { throw FlyVecError.file(file, "corrupt vocabulary line '\(line.prefix(40))'") }
            words.append(String(f[0]))
            counts.append(c)
        }
        do { return try Vocabulary(words: words, counts: counts, stopWords: Set(stopWords)) } catch {
            throw FlyVecError.file(file, "corrupt vocabulary: \(error)")
        }
    }
}
