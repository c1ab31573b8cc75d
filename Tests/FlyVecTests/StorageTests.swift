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
        #expect { try CodeFile.decode(bytes, file: "c") } throws: { "\($0)".contains("version 9") }
        #expect { try ModelFile.decode(bytes, file: "c") } throws: { "\($0)".contains("wrong magic") }
    }
}
