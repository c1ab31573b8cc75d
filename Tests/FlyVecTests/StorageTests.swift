import Foundation
import Testing
import FlyVec

@Suite struct StorageTests {
    let model = SmallModel.model

    @Test func modelRoundTrip() throws {
        let dir = temporaryDirectory()
        let path = dir.appendingPathComponent("m.flyvec").path
        try ModelFile.write(model, to: path)
        let back = try ModelFile.read(path)
        #expect(back.vocabulary == model.vocabulary)
        #expect(back.options == model.options)
        #expect(back.history == model.history)
        for i in 0..<model.synapses.inputs { #expect(back.synapses.row(i) == model.synapses.row(i)) }
        #expect(!FileManager.default.fileExists(atPath: path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"))
    }

    /// A model with a stored usage profile (version 2), at both precisions: the synapses come back
    /// exact or rounded to half precision, the profile exactly, so every code is the same.
    @Test(arguments: ModelFile.Precision.allCases)
    func modelWithUsageRoundTrip(precision: ModelFile.Precision) throws {
        let dir = temporaryDirectory()
        let source = SmallModel.wide
        let text = (0..<200).map { i in i % 2 == 0 ? "sea water ship fish wave sail boat shore" : "king crown throne court queen prince royal palace" }
        let corpusFile = dir.appendingPathComponent("c.txt")
        write(text.joined(separator: "\n"), to: corpusFile)
        let (_, corpus, _) = try CorpusReader().read([corpusFile.path], vocabulary: source.vocabulary)
        var model = try Model(vocabulary: source.vocabulary, synapses: source.synapses, options: source.options,
                          tokenizer: source.tokenizer, history: source.history)
        // No directions: a version 2 file.
        try model.attach(try UsageProfile(model: model, corpus: corpus, settings: UsageSettings(window: 5, directions: 0)))
        let path = dir.appendingPathComponent("m.flyvec").path
        try ModelFile.write(model, to: path, precision: precision)
        let bytes = try AtomicFile.read(path)
        #expect(ModelFile.formatVersion(of: bytes) == 2)
        let back = try ModelFile.read(path)
        #expect(back.usage?.settings == model.usage?.settings)
        for i in 0..<model.synapses.inputs {
            let row = model.synapses.row(i)
            #expect(back.synapses.row(i) == (precision == .float32 ? row : row.map { Float(Float16($0)) }))
        }
        let before = try WordHasher(model: model, k: 5, readout: .usage), after = try WordHasher(model: back, k: 5, readout: .usage)
        let n = model.vocabulary.count
        for id in 1..<n {
            #expect(after.hasStaticCode(id: id) == before.hasStaticCode(id: id))
            #expect(after.staticCode(id: id) == before.staticCode(id: id))
            let context = [(id + 1) % n, (id + 5) % n].filter { $0 != 0 }
            #expect(after.contextualCode(id: id, context: context) == before.contextualCode(id: id, context: context))
        }
        // Cut anywhere, the file is refused with its name.
        for cut in [bytes.count / 2, bytes.count - 1] {
            #expect { try ModelFile.decode(Array(bytes.prefix(cut)), file: "cut.flyvec") } throws: {
                ($0 as? FlyVecError)?.kind == .corrupt && ($0 as? FlyVecError)?.file == "cut.flyvec"
            }
        }
    }

    @Test func codeFileRoundTrip() throws {
        let dir = temporaryDirectory()
        let path = dir.appendingPathComponent("c.flycodes").path
        let book = try CodeBook(model: model, k: 7, readout: .target)
        try CodeFile.write(book, to: path)
        let back = try CodeFile.read(path)
        #expect(back.words == book.words)
        #expect(back.index.storage == book.index.storage)
        #expect(back.k == 7 && back.bits == 40 && back.readout == .target)
    }

    /// Sparse codes are stored as packed positions, dense ones as bitmaps; both read back exactly.
    @Test(arguments: [(1600, 32), (400, 16), (64, 40), (2, 1)])
    func codeLayoutsRoundTrip(bits: Int, k: Int) throws {
        var rng = SplitMix64(seed: UInt64(bits * 100 + k))
        var codes: [UInt64] = []
        let words = (0..<50).map { "w\($0)" }
        for _ in words {
            var active = Set<Int>()
            while active.count < k { active.insert(Int(rng.next(below: UInt64(bits)))) }
            active.insert(bits - 1)  // the highest position, the widest packed value
            while active.count > k { active.remove(active.filter { $0 != bits - 1 }.randomElement(using: &rng)!) }
            codes += BinaryCode(bits: bits, active: active).words
        }
        let book = try CodeBook(bits: bits, k: k, readout: .usage, words: words, codes: codes)
        let path = temporaryDirectory().appendingPathComponent("c.flycodes").path
        try CodeFile.write(book, to: path)
        let back = try CodeFile.read(path)
        #expect(back.index.storage == book.index.storage)
        #expect(back.words == words && back.k == k && back.bits == bits)
        // Packed positions end the payload: position j's bit b at bit j·width + b of each code's
        // bytes, as a bit-by-bit packing puts it.
        let width = Int.bitWidth - (bits - 1).leadingZeroBitCount, codeBytes = (k * width + 7) / 8
        if k * width < (bits + 63) / 64 * 64 {
            let file = try AtomicFile.read(path)
            let payload = try file[16...].withUnsafeBytes { try Zstd.decompress($0) }
            var reference: [UInt8] = []
            for w in words.indices {
                var packed = [UInt8](repeating: 0, count: codeBytes)
                for (j, position) in book.code(at: w).activeBits.enumerated() {
                    for b in 0..<width where position >> b & 1 == 1 { packed[(j * width + b) / 8] |= 1 << ((j * width + b) % 8) }
                }
                reference += packed
            }
            #expect(Array(payload.suffix(reference.count)) == reference)
        }
        // 11 bits a position for K 1600: k 32 in 352 bits; bitmaps when positions would not be smaller.
        let expected = ["1600-32": 352, "400-16": 144, "64-40": 64, "2-1": 1]["\(bits)-\(k)"]!
        #expect(CodeFile.storedBits(bits: bits, k: k) == expected)
        // Bitmap files keep format version 1, which FlyVec builds before packed positions read.
        #expect(CodeFile.formatVersion(of: try AtomicFile.read(path)) == (expected < (bits + 63) / 64 * 64 ? 2 : 1))
    }

    /// A hand-made file in the documented layout: positions that do not ascend are refused.
    /// Model payloads made by hand and sealed with a valid zstd checksum, so that the reader's own
    /// checks run: each damage is refused with its own message, and the sound file loads.
    @Test func modelPayloadChecksBehindAValidChecksum() throws {
        struct Parts {
            var version: UInt32 = 1
            var metadata: String? = nil
            var vocabulary = "<UNK>\t0\n<NUM>\t0\nsea\t5\nship\t3"
            var units: UInt32 = 2
            var inputs: UInt32 = 8
            var synapses: [Float] = (0..<16).map { Float($0) / 16 }
            var trailer: [UInt8] = []
        }
        var options = TrainingOptions.classic
        options.hidden = 2
        let json = String(decoding: try JSONEncoder().encode(options), as: UTF8.self)
        func file(_ p: Parts) throws -> [UInt8] {
            var payload: [UInt8] = []
            func blob(_ b: [UInt8]) {
                withUnsafeBytes(of: UInt64(b.count).littleEndian) { payload += $0 }
                payload += b
            }
            blob(Array((p.metadata ?? #"{"options": \#(json), "ascii": false, "history": []}"#).utf8))
            blob(Array(p.vocabulary.utf8))
            blob(Array("the".utf8))
            withUnsafeBytes(of: p.units.littleEndian) { payload += $0 }
            withUnsafeBytes(of: p.inputs.littleEndian) { payload += $0 }
            p.synapses.withUnsafeBytes { payload += $0 }
            payload += p.trailer
            return Array("FLYVECM\0".utf8) + [UInt8(p.version), 0, 0, 0, 0, 0, 0, 0] + (try Zstd.compress(payload))
        }
        let sound = try ModelFile.decode(try file(Parts()), file: "m")
        #expect(sound.vocabulary.count == 4 && sound.synapses.row(3) == [Float(6) / 16, Float(7) / 16])
        func refused(_ p: Parts, _ message: String) throws {
            let bytes = try file(p)
            #expect { try ModelFile.decode(bytes, file: "m") } throws: {
                let e = $0 as? FlyVecError
                return e?.kind == .corrupt && e?.file == "m" && "\($0)".contains(message)
            }
        }
        var p = Parts()
        p.inputs = 6
        p.synapses = Array(p.synapses.prefix(12))
        try refused(p, "synapses of 2 × 6 for K 2 and 4 words")
        p = Parts()
        p.synapses[5] = .nan
        try refused(p, "a synapse is not a finite number")
        p = Parts()
        p.synapses[9] = .infinity
        try refused(p, "a synapse is not a finite number")
        p = Parts()
        p.vocabulary = "<UNK>\t0\n<NUM>\t0\nsea five\nship\t3"
        try refused(p, "corrupt vocabulary: line 3: expected 'word<TAB>count', got 'sea five'")
        p = Parts()
        p.vocabulary = "<UNK>\t0\n<NUM>\t0\nsea\t5\nsea\t3"
        try refused(p, "corrupt vocabulary")
        p = Parts()
        p.trailer = [1, 2, 3]
        try refused(p, "3 unexpected bytes after the synapses")
        p = Parts()
        p.synapses = Array(p.synapses.prefix(15))
        try refused(p, "truncated or corrupt: the synapses need 64 bytes")
        p = Parts()
        p.units = 3
        try refused(p, "synapses of 3 × 8 for K 2")
        p = Parts()
        p.metadata = #"{"options": \#(json), "ascii": false, "history": [], "precision": "float32"}"#
        try refused(p, "precision and usage belong to versions 2 and 3 only")
        p = Parts()
        p.metadata = #"{"options": {"hidden": 0}, "ascii": false, "history": []}"#
        try refused(p, "corrupt model metadata")
        // Version 2, float16 synapses and a usage profile of width 1.
        func usage(units: [UInt16], values: [Float], profile: [Float16] = [0, 0, 0, 0, 1, -1, -1, 1]) -> [UInt8] {
            var b: [UInt8] = []
            for v: UInt32 in [2, 4, 1] { withUnsafeBytes(of: v.littleEndian) { b += $0 } }
            for h in profile { withUnsafeBytes(of: h.bitPattern.littleEndian) { b += $0 } }
            [Float(1), 1].withUnsafeBytes { b += $0 }
            for u in units { withUnsafeBytes(of: u.littleEndian) { b += $0 } }
            values.withUnsafeBytes { b += $0 }
            return b
        }
        func v2(_ trailer: [UInt8]) -> Parts {
            var q = Parts()
            q.version = 2
            q.metadata = #"{"options": \#(json), "ascii": false, "history": [], "precision": "float32", "usageProfile": {"window": 5, "order": 2, "power": 0.5, "method": "sparse"}}"#
            q.trailer = trailer
            return q
        }
        let withUsage = try ModelFile.decode(try file(v2(usage(units: [0, 0, 1, 0], values: [0, 0, 1, 1]))), file: "m")
        #expect(withUsage.usage?.settings.window == 5)
        #expect(try WordHasher(model: withUsage, k: 1, readout: .usage).staticCode(id: 2).activeBits == [0])
        try refused(v2(usage(units: [0, 0, 2, 0], values: [0, 0, 1, 1])), "usage context unit is out of range")
        try refused(v2(usage(units: [0, 0, 1, 0], values: [0, 0, .nan, 1])), "usage profile value is not a finite number")
        try refused(v2(usage(units: [0, 0, 1, 0], values: [0, 0, 1, 1], profile: [0, 0, 0, 0, .infinity, 0, 0, 0])), "not a finite number")
        try refused(v2(Array(usage(units: [0, 0, 1, 0], values: [0, 0, 1, 1]).dropLast())), "truncated or corrupt: usage context values")
        try refused(v2([]), "truncated or corrupt: usage units")
        // Version 3: the profile's removed directions (D × K floats) close the file.
        func v3(directions: Int, _ trailer: [Float], version: UInt32 = 3) -> Parts {
            var q = v2(usage(units: [0, 0, 1, 0], values: [0, 0, 1, 1], profile: [0, 0, 0, 0, 1, -1, 0.2, 0.1]))
            q.version = version
            q.metadata = q.metadata!.replacingOccurrences(of: #""method": "sparse""#, with: #""method": "sparse", "directions": \#(directions)"#)
            trailer.withUnsafeBytes { q.trailer += $0 }
            return q
        }
        let directed = try ModelFile.decode(try file(v3(directions: 1, [0, 1])), file: "m")
        #expect(directed.usage?.settings.directions == 1 && directed.usage?.directions.vectors == [0, 1])
        // "sea" as the context of "ship" (profile (0.2, 0.1)) adds 5^-0.5 on unit 1: the code's
        // top unit without the direction (0, 1), and nothing once it is taken out.
        let undirected = try ModelFile.decode(try file(v3(directions: 0, [], version: 2)), file: "m")
        #expect(try WordHasher(model: undirected, k: 1, readout: .usage).contextualCode(id: 3, context: [2]).activeBits == [1])
        #expect(try WordHasher(model: directed, k: 1, readout: .usage).contextualCode(id: 3, context: [2]).activeBits == [0])
        #expect(withUsage.usage?.settings.directions == 0)
        try refused(v3(directions: 0, []), "0 profile directions in a version 3 file")
        try refused(v3(directions: 1, [0.6, 0.8], version: 2), "1 profile directions in a version 2 file")
        try refused(v3(directions: 3, [0.6, 0.8]), "3 profile directions in a version 3 file")
        try refused(v3(directions: 1, [0.6, .nan]), "a usage profile direction is not a finite number")
        try refused(v3(directions: 1, [0.6]), "truncated or corrupt: usage directions")
        var plain = Parts()
        plain.version = 3
        plain.metadata = #"{"options": \#(json), "ascii": false, "history": [], "precision": "float32"}"#
        try refused(plain, "a version 3 file holds a usage profile")
    }

    /// Code-file payloads made by hand and sealed with a valid checksum: each check of the reader
    /// refuses its damage with its own message (packed positions: `packedPositionsAreChecked`).
    @Test func codeFilePayloadChecksBehindAValidChecksum() throws {
        // Bitmap layout (version 1): K 70, so two u64 words a code and padding bits above 70.
        func file(version: UInt8 = 1, metadata: String = #"{"bits": 70, "k": 2, "readout": "sum", "words": 2}"#,
                  words: String = "a\nb", codes: [UInt64] = [0b11, 0, 1 << 5, 1 << 3], trailer: [UInt8] = []) throws -> [UInt8] {
            var payload: [UInt8] = []
            func blob(_ b: [UInt8]) {
                withUnsafeBytes(of: UInt64(b.count).littleEndian) { payload += $0 }
                payload += b
            }
            blob(Array(metadata.utf8))
            blob(Array(words.utf8))
            for c in codes { withUnsafeBytes(of: c.littleEndian) { payload += $0 } }
            payload += trailer
            return Array("FLYVECC\0".utf8) + [version, 0, 0, 0, 0, 0, 0, 0] + (try Zstd.compress(payload))
        }
        let sound = try CodeFile.decode(try file(), file: "c")
        #expect(sound.code(for: "a")!.activeBits == [0, 1] && sound.code(for: "b")!.activeBits == [5, 67])
        func refused(_ bytes: [UInt8], _ message: String) {
            #expect { try CodeFile.decode(bytes, file: "c") } throws: {
                let e = $0 as? FlyVecError
                return e?.kind == .corrupt && e?.file == "c" && "\($0)".contains(message)
            }
        }
        refused(try file(codes: [0b111, 0, 1 << 5, 1 << 3]), "code 0 has 3 bits set, not k = 2")
        refused(try file(codes: [0b11, 0, 1 << 5, 1 << 6]), "code 1 has bits beyond K")
        refused(try file(words: "a\nb\nc"), "the header says 2 words, the word list has 3")
        refused(try file(words: "a\na"), "word 'a' appears twice")
        refused(try file(trailer: [0]), "1 unexpected bytes after the codes")
        refused(try file(codes: [0b11, 0, 1 << 5]), "truncated or corrupt: codes")
        refused(try file(metadata: #"{"bits": 70, "k": 71, "readout": "sum", "words": 2}"#), "corrupt code-file metadata: K 70, k 71")
        refused(try file(metadata: #"{"bits": 70, "k": 2, "readout": "sideways", "words": 2}"#), "corrupt code-file metadata")
        refused(try file(metadata: #"{"bits": 70, "k": 2, "readout": "sum", "words": 2, "layout": "bitmap"}"#),
                "a version 1 file has no layout")
        refused(try file(version: 2, metadata: #"{"bits": 70, "k": 2, "readout": "sum", "words": 2, "layout": "runs"}"#),
                "unknown layout runs")
    }

    @Test func packedPositionsAreChecked() throws {
        func file(_ codeBytes: [UInt8]) throws -> [UInt8] {
            var payload: [UInt8] = []
            func blob(_ b: [UInt8]) {
                withUnsafeBytes(of: UInt64(b.count).littleEndian) { payload += $0 }
                payload += b
            }
            blob(Array(#"{"bits": 16, "k": 2, "readout": "sum", "words": 2, "layout": "indices"}"#.utf8))
            blob(Array("a\nb".utf8))
            payload += codeBytes  // K 16: 4 bits a position, two positions a byte, low nibble first
            return Array("FLYVECC\0".utf8) + [2, 0, 0, 0, 0, 0, 0, 0] + (try Zstd.compress(payload))
        }
        let good = try CodeFile.decode(try file([0x3 | 0x5 << 4, 0x0 | 0xF << 4]), file: "h")
        #expect(good.code(for: "a")!.activeBits == [3, 5] && good.code(for: "b")!.activeBits == [0, 15])
        #expect { try CodeFile.decode(try file([0x5 | 0x3 << 4, 0x01]), file: "h") } throws: {
            "\($0)".contains("code 0 is not 2 ascending positions")
        }
        #expect(throws: FlyVecError.self) { try CodeFile.decode(try file([0x3 | 0x5 << 4]), file: "h") }
    }

    /// Every truncation and many single-byte flips fail with a FlyVecError naming the file.
    func damaged(_ bytes: [UInt8], decode: ([UInt8]) throws -> Void) {
        let cuts = Array(Set(Array(0..<min(bytes.count, 64)) + stride(from: 64, to: bytes.count, by: max(1, bytes.count / 97)).map { $0 }))
        for cut in cuts {
            #expect(throws: FlyVecError.self, "cut at \(cut)") { try decode(Array(bytes[..<cut])) }
        }
        for position in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 61)) {
            var b = bytes
            b[position] ^= 0x5A
            #expect(throws: FlyVecError.self, "flip at \(position)") { try decode(b) }
        }
    }

    @Test(arguments: ["model", "codes"])
    func damagedFilesFailCleanly(kind: String) throws {
        let path = temporaryDirectory().appendingPathComponent("f").path
        if kind == "model" {
            try ModelFile.write(model, to: path)
        } else {
            try CodeFile.write(try CodeBook(model: model, k: 7, readout: .sum), to: path)
        }
        damaged(try AtomicFile.read(path)) { bytes in
            if kind == "model" { _ = try ModelFile.decode(bytes, file: "f") } else { _ = try CodeFile.decode(bytes, file: "f") }
        }
    }

    @Test func wrongMagicAndVersionAreNamed() throws {
        let dir = temporaryDirectory()
        let path = dir.appendingPathComponent("c.flycodes").path
        try CodeFile.write(try CodeBook(model: model, k: 7, readout: .sum), to: path)
        var bytes = try AtomicFile.read(path)
        bytes[8] = 9
        #expect { try CodeFile.decode(bytes, file: "c") } throws: {
            ($0 as? FlyVecError)?.kind == .unsupportedVersion && "\($0)".contains("version 9")
        }
        #expect { try ModelFile.decode(bytes, file: "c") } throws: {
            ($0 as? FlyVecError)?.kind == .wrongFileKind && "\($0)".contains("wrong magic")
        }
    }
}
