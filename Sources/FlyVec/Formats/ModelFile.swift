import CFlyVecSupport
import Foundation

/// The model file (`.flyvec`); docs/FORMAT.md documents it byte by byte.
///
/// Payload: the metadata as JSON (hyper-parameters, tokenizer, epoch history, and in version 2 the
/// synapses' precision and whether a usage profile follows), the vocabulary as TSV, the stop words
/// one per line, then K, 2·N_voc and the synapses, input-major (float32, or in version 2 float16
/// when so written); in version 2 the stored usage profile may follow, and in version 3 a profile
/// with the principal directions taken out of it, which close the file. Version 1 files are
/// written whenever the model has neither (checkpoints, the earlier presets), byte for byte as
/// before, and version 2 whenever the profile has no directions taken out.
public enum ModelFile {
    static let magic: [UInt8] = Array("FLYVECM\0".utf8)
    /// The newest format version; this build reads versions 1 to 3 and writes the oldest that holds the model.
    public static let version: UInt32 = 3

    /// How the synapses are stored.
    public enum Precision: String, Sendable, Codable, CaseIterable {
        /// Exact: checkpoints, so that a resumed run gives the same model.
        case float32
        /// Half the size; the codes read from a model change in a few words only (docs/RESULTS.md).
        case float16
    }

    struct Metadata: Codable {
        var options: TrainingOptions
        var ascii: Bool
        /// Present (true) only for a model trained on pretokenized text, so that other models'
        /// files stay as they were.
        var pretokenized: Bool?
        var history: [EpochResult]
        /// Versions 2 and 3 only.
        var precision: Precision?
        /// Versions 2 and 3 only: the settings of the usage profile that follows the synapses, if
        /// one does; in version 3 its `directions` are at least 1, in version 2 none.
        var usageProfile: UsageSettings?
    }

    /// Writes the model atomically, streaming the synapses through the compressor.
    /// - Throws: for a `dense` usage profile, which only the sparse method's compact context
    ///   vectors make storable, and in `float16` for a synapse beyond ±65504 (nothing is written).
    public static func write(_ model: Model, to path: String, precision: Precision = .float32) throws {
        guard model.synapses.isLoaded else {
            throw FlyVecError(.unsupported, "the model was read without its synapses (ModelFile.SynapseLoading): read it whole to write it")
        }
        if model.usage?.settings.method == .dense {
            throw FlyVecError(.unsupported, "a dense usage profile is not stored in a model: make it from the corpus when codes are made")
        }
        if model.options.adaptsBatch {
            throw FlyVecError.parameter("batch", "is still to be chosen from the corpus (adaptsBatch): give the model the options a Trainer resolved (trainer.options or options.resolved(windows:))")
        }
        let v2 = precision != .float32 || model.usage != nil
        let fileVersion: UInt32 = (model.usage?.directions.count ?? 0) > 0 ? 3 : v2 ? 2 : 1
        // zstd's fastest mode: float synapses barely compress (en-mix: 61.2 MB of 64.2 at level 1,
        // 64.2 at level -1) and level -1 writes 2.5x faster, which counts for the checkpoint after
        // every epoch.
        // Compressed on a second thread while the next rows are converted.
        try Envelope.write(to: path, magic: magic, version: fileVersion, level: -1, background: true) { w in
            try encode(model, precision: v2 ? precision : nil, into: &w)
        }
    }

    /// Whether every synapse is within float16's finite range.
    public static func fitsHalfPrecision(_ synapses: Synapses) -> Bool {
        guard synapses.isLoaded else { return false }
        // On every core, each row in one call of a loop the C compiler vectorises.
        var fits = [Bool](repeating: true, count: Synapses.chunks)
        fits.withUnsafeMutableBufferPointer { f in
            nonisolated(unsafe) let f = f
            concurrently(Synapses.chunks) { c in
                var ok: Int32 = 1
                synapses.forEachRow(synapses.chunk(c)) { _, row in ok &= flyvec_floats_fit_half(row.baseAddress!, row.count) }
                f[c] = ok == 1
            }
        }
        return !fits.contains(false)
    }

    /// `precision` nil: version 1.
    static func encode(_ model: Model, precision: Precision?, into w: inout ByteWriter) throws {
        let syn = model.synapses
        let meta = Metadata(options: model.options, ascii: model.tokenizer.ascii,
                            pretokenized: model.tokenizer.pretokenized ? true : nil, history: model.history,
                            precision: precision, usageProfile: precision == nil ? nil : model.usage?.settings)
        try w.json(meta)
        w.blob(Array(model.vocabulary.tsv().utf8))
        w.blob(Array(model.vocabulary.sortedStopWords.joined(separator: "\n").utf8))
        w.u32(UInt32(syn.units))
        w.u32(UInt32(syn.inputs))
        try syn.forEachRow(0..<syn.inputs) { _, row in
            if precision == .float16 {
                // Checked on the row about to be narrowed, not in a pass of its own: a refused model
                // leaves only the temporary file, which the atomic write removes.
                guard flyvec_floats_fit_half(row.baseAddress!, row.count) == 1 else {
                    throw FlyVecError(.unsupported, "a synapse is beyond half precision's range (±65504): write the model as float32")
                }
                w.halves(row)
            } else {
                w.floats(row)
            }
            try w.flush()
        }
        if let usage = model.usage, precision != nil { try encode(usage, words: model.vocabulary.count, into: &w) }
    }

    /// The profile: K, N_voc, the width m of the context vectors, the N_voc × K z-scored profile
    /// as float16 (only the order of each word's values makes a code), the K inverse deviations,
    /// then per word m units (u16) and m values (float32); in version 3 the directions taken out,
    /// D × K floats (D = `settings.directions`).
    private static func encode(_ usage: UsageProfile, words: Int, into w: inout ByteWriter) throws {
        let K = usage.units, m = usage.contextUnits.count / max(words, 1)
        w.u32(UInt32(K))
        w.u32(UInt32(words))
        w.u32(UInt32(m))
        for id in 0..<words {
            usage.vectors[(id * K)..<(id * K + K)].withUnsafeBufferPointer {
                $0.withMemoryRebound(to: UInt16.self) { w.u16s($0) }
            }
            try w.flush()
        }
        usage.inverseDeviation.withUnsafeBufferPointer { w.floats($0) }
        w.u16s(usage.contextUnits)
        usage.contextValues.withUnsafeBufferPointer { w.floats($0) }
        usage.directions.vectors.withUnsafeBufferPointer { w.floats($0) }
    }

    private static func decodeUsage(_ r: inout ByteReader, settings stored: UsageSettings, version: UInt32, options: TrainingOptions,
                                    vocabulary: Vocabulary, file: String) throws -> UsageProfile {
        var settings = stored
        do { try settings.validate() } catch { throw FlyVecError(.corrupt, "corrupt model metadata: \(error)", file: file) }
        let D = settings.directions ?? 0
        guard (version == 3) == (D > 0), D <= options.hidden else {
            throw FlyVecError(.corrupt, "corrupt model metadata: \(D) profile directions in a version \(version) file", file: file)
        }
        settings.directions = D
        let K = Int(try r.u32("usage units")), n = Int(try r.u32("usage words")), m = Int(try r.u32("usage width"))
        guard K == options.hidden, n == vocabulary.count, m >= 1, m <= K else {
            throw FlyVecError(.corrupt, "corrupt: a usage profile of \(K) units × \(n) words × \(m) for K \(options.hidden) and \(vocabulary.count) words", file: file)
        }
        var vectors = [Float16](repeating: 0, count: n * K)
        try vectors.withUnsafeMutableBytes { try r.copy($0.count, into: $0.baseAddress!, "usage profile") }
        var inverse = [Float](repeating: 0, count: K)
        try inverse.withUnsafeMutableBufferPointer { try r.floats(K, into: $0.baseAddress!, "usage deviations") }
        let units = try r.u16s(n * m, "usage context units")
        var values = [Float](repeating: 0, count: n * m)
        try values.withUnsafeMutableBufferPointer { try r.floats(n * m, into: $0.baseAddress!, "usage context values") }
        let finite = vectors.withUnsafeBytes { HalfPrecision.areFinite($0.baseAddress!.assumingMemoryBound(to: UInt16.self), count: n * K) }
        guard finite, inverse.allSatisfy(\.isFinite), values.allSatisfy(\.isFinite) else {
            throw FlyVecError(.corrupt, "corrupt: a usage profile value is not a finite number", file: file)
        }
        guard units.allSatisfy({ Int($0) < K }) else { throw FlyVecError(.corrupt, "corrupt: a usage context unit is out of range", file: file) }
        var directions = [Float](repeating: 0, count: D * K)
        try directions.withUnsafeMutableBufferPointer { try r.floats(D * K, into: $0.baseAddress!, "usage directions") }
        guard directions.allSatisfy(\.isFinite) else {
            throw FlyVecError(.corrupt, "corrupt: a usage profile direction is not a finite number", file: file)
        }
        return UsageProfile(units: K, settings: settings, vectors: vectors, inverseDeviation: inverse,
                            weights: UsageProfile.weights(counts: vocabulary.counts, power: settings.power),
                            contextUnits: units, contextValues: values, directions: directions)
    }

    /// How much of a model's synapses a read keeps in memory: the synapses are most of a model
    /// (K × 2·N_voc floats), and the codes of the `usage` read-out need none or few of them.
    public enum SynapseLoading: Sendable {
        /// All of them: training, and codes of every read-out.
        case all
        /// None when the model stores a usage profile (its codes, contextual codes included, need
        /// only the profile), all otherwise.
        case unlessProfiled
        /// Only each word's strongest context synapses: what a sparse usage profile made from a
        /// corpus needs (`UsageProfile(model:corpusFiles:settings:progress:)`).
        case strongestContext
    }

    /// Reads the model file at `path` (version 1 or 2), with its usage profile if it stores one,
    /// decompressing the synapses straight into the model's memory.
    /// - Parameter synapses: what of the synapses to keep; a model read without them has
    ///   `synapses.isLoaded` false, and only the usage read-out can make its codes.
    /// - Throws: ``FlyVecError`` `cannotRead`, `wrongFileKind`, `unsupportedVersion` or `corrupt`.
    public static func read(_ path: String, synapses: SynapseLoading = .all) throws -> Model {
        let stream = try PayloadStream(path: path, magic: magic, versions: 1...version, kind: "FlyVec model")
        return try decode(ByteReader(stream), version: stream.version, file: path, synapses: synapses)
    }

    /// The format version in a model file's header, if the bytes hold one.
    public static func formatVersion(of bytes: [UInt8]) -> UInt32? { Envelope.version(of: bytes) }

    /// True when the bytes start like a model file.
    public static func matches(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes { matches($0) } }

    static func matches(_ bytes: UnsafeRawBufferPointer) -> Bool { bytes.count >= 8 && bytes.prefix(8).elementsEqual(magic) }

    /// Decodes a whole model file held in memory; `file` names it in errors.
    public static func decode(_ bytes: consuming [UInt8], file: String, synapses: SynapseLoading = .all) throws -> Model {
        let stream = try PayloadStream(bytes: bytes, file: file, magic: magic, versions: 1...version, kind: "FlyVec model")
        return try decode(ByteReader(stream), version: stream.version, file: file, synapses: synapses)
    }

    private static func decode(_ reader: ByteReader, version fileVersion: UInt32, file: String,
                               synapses loading: SynapseLoading) throws -> Model {
        var r = reader
        let meta: Metadata
        do {
            meta = try JSONDecoder().decode(Metadata.self, from: Data(try r.blob("metadata")))
        } catch let e as FlyVecError { throw e } catch {
            throw FlyVecError(.corrupt, "corrupt model metadata", file: file)
        }
        do { try meta.options.validate() } catch { throw FlyVecError(.corrupt, "corrupt model metadata: \(error)", file: file) }
        guard (fileVersion == 1) == (meta.precision == nil && meta.usageProfile == nil) else {
            throw FlyVecError(.corrupt, "corrupt model metadata: precision and usage belong to versions 2 and 3 only", file: file)
        }
        guard fileVersion != 3 || meta.usageProfile != nil else {
            throw FlyVecError(.corrupt, "corrupt model metadata: a version 3 file holds a usage profile", file: file)
        }
        let half = meta.precision == .float16
        let tsv = try r.string("vocabulary")
        let stop = try r.string("stop words").split(separator: "\n").map(String.init)
        let vocab: Vocabulary
        do { vocab = try Vocabulary(tsv: tsv, stopWords: stop) } catch {
            throw FlyVecError(.corrupt, "corrupt vocabulary: \(error)", file: file)
        }
        let units = Int(try r.u32("hidden units")), inputs = Int(try r.u32("input count"))
        guard units == meta.options.hidden, inputs == 2 * vocab.count else {
            throw FlyVecError(.corrupt, "corrupt: synapses of \(units) × \(inputs) for K \(meta.options.hidden) and \(vocab.count) words", file: file)
        }
        // Checked before the matrix is allocated: a small corrupt file must not claim gigabytes.
        let needed = units * inputs * (half ? 2 : 4)
        guard r.mostRemaining >= needed else {
            throw FlyVecError(.corrupt, "truncated or corrupt: the synapses need \(needed) bytes at payload byte \(r.offset), the file cannot hold them",
                              file: file, offset: r.offset)
        }
        let keep = loading == .all || (loading == .unlessProfiled && meta.usageProfile == nil)
        let syn: Synapses
        do { syn = keep ? try Synapses(units: units, inputs: inputs) : try Synapses.notLoaded(units: units, inputs: inputs) } catch let e as FlyVecError { throw e.naming(file) }
        var strongest = loading == .strongestContext
            ? StrongestContext(words: vocab.count, width: UsageSettings.sparseWidth(units: units)) : nil
        let start = r.offset
        do {
            try readSynapses(&r, units: units, inputs: inputs, half: half, into: keep ? syn : nil, strongest: &strongest, file: file)
        } catch let e as FlyVecError where e.reason.hasPrefix("truncated") {
            throw FlyVecError(.corrupt, "truncated or corrupt: the synapses need \(needed) bytes at payload byte \(start)", file: file, offset: start)
        }
        let usage = try meta.usageProfile.map { try decodeUsage(&r, settings: $0, version: fileVersion, options: meta.options, vocabulary: vocab, file: file) }
        try r.expectEnd(usage == nil ? "the synapses" : "the usage profile")
        var model = try Model(vocabulary: vocab, synapses: syn, options: meta.options,
                              tokenizer: TokenizerOptions(ascii: meta.ascii, pretokenized: meta.pretokenized ?? false),
                              history: meta.history, usage: usage)
        model.strongestContext = strongest
        return model
    }

    /// Reads the synapses a block of rows at a time: float32 rows of a kept matrix are
    /// decompressed straight into its storage; other rows pass through a scratch block, widened
    /// into the matrix if it is kept, their strongest context units taken by `strongest` if that
    /// is wanted, and otherwise only checked.
    private static func readSynapses(_ r: inout ByteReader, units: Int, inputs: Int, half: Bool, into syn: Synapses?,
                                     strongest: inout StrongestContext?, file: String) throws {
        let block = 256, width = half ? 2 : 4, words = inputs / 2
        let direct = syn != nil && !half
        precondition(!(syn != nil && strongest != nil), "strongest context synapses are taken only from rows not kept")
        // Two scratch blocks when the strongest units are wanted: one block's are taken on another
        // thread while the next block is decompressed (one thread each, instead of one after the
        // other).
        let slots = strongest != nil ? 2 : 1, slotBytes = block * units * width
        let scratch = direct ? nil : UnsafeMutableRawPointer.allocate(byteCount: slots * slotBytes, alignment: 64)
        let widened = half && strongest != nil ? UnsafeMutablePointer<Float>.allocate(capacity: slots * block * units) : nil
        let inFlight = DispatchGroup()
        let taken = TakenBox()
        defer {
            inFlight.wait()
            scratch?.deallocate()
            widened?.deallocate()
        }
        for (b, first) in stride(from: 0, to: inputs, by: block).enumerated() {
            let count = min(block, inputs - first)
            let slot = scratch.map { $0 + (b % slots) * slotBytes }
            if let syn, direct {
                for i in first..<(first + count) { try r.floats(units, into: syn.storage + i * syn.stride, "synapses") }
            } else {
                try r.copy(count * units * width, into: slot!, "synapses")
            }
            let finite = (0..<count).allSatisfy { j in
                if let syn, direct { return flyvec_floats_finite(syn.storage + (first + j) * syn.stride, units) != 0 }
                let row = slot! + j * units * width
                return half ? flyvec_halves_finite(row.assumingMemoryBound(to: UInt16.self), units) != 0
                            : flyvec_floats_finite(row.assumingMemoryBound(to: Float.self), units) != 0
            }
            guard finite else { throw FlyVecError(.corrupt, "corrupt: a synapse is not a finite number", file: file) }
            if let syn, half {
                for j in 0..<count {
                    HalfPrecision.widen((slot! + j * units * 2).assumingMemoryBound(to: UInt16.self), count: units,
                                        into: syn.storage + (first + j) * syn.stride)
                }
            }
            if strongest != nil, first < words {
                inFlight.wait()
                if let done = taken.rows { strongest!.store(done, first: taken.first) }
                let rows = min(count, words - first), m = strongest!.width
                nonisolated(unsafe) let source = slot!
                nonisolated(unsafe) let floats = widened.map { $0 + (b % slots) * block * units }
                taken.first = first
                DispatchQueue.global().async(group: inFlight) {
                    if let floats { HalfPrecision.widen(source.assumingMemoryBound(to: UInt16.self), count: rows * units, into: floats) }
                    let from = UnsafePointer(floats ?? source.assumingMemoryBound(to: Float.self))
                    taken.rows = StrongestContext.strongest(rows: from, count: rows, units: units, width: m, threads: 1)
                }
            }
        }
        inFlight.wait()
        if let done = taken.rows, strongest != nil { strongest!.store(done, first: taken.first) }
    }

    /// The strongest units of the block taken on another thread, handed back once it is done.
    private final class TakenBox: @unchecked Sendable {
        var first = 0
        var rows: StrongestContext.Taken?
    }
}
