import Foundation
import Testing
import FlyVec

@Suite struct ByteSourceTests {
    let text = "In the beginning God created the heaven and the earth.\nAnd the earth was without form, and void.\n"

    @Test func zstdRoundTripMatchesPlainText() throws {
        let dir = temporaryDirectory()
        let plain = dir.appendingPathComponent("a.txt"), packed = dir.appendingPathComponent("a.txt.not-a-zst-name")
        write(text, to: plain)
        write(try Zstd.compress(Array(text.utf8)), to: packed)
        let expected = try sentences(ofFile: plain.path)
        #expect(expected.count == 2)
        #expect(try sentences(ofFile: packed.path) == expected)
    }

    @Test func multiFrameZstdIsReadWhole() throws {
        let dir = temporaryDirectory()
        let file = dir.appendingPathComponent("multi.zst")
        let parts = ["alpha beta.\n", "gamma delta\n", "epsilon\n"]
        write(try parts.flatMap { try Zstd.compress(Array($0.utf8)) }, to: file)
        #expect(try sentences(ofFile: file.path) == [["alpha", "beta"], ["gamma", "delta"], ["epsilon"]])
    }

    @Test func largeZstdInputSpanningManyChunks() throws {
        let dir = temporaryDirectory()
        let file = dir.appendingPathComponent("big.zst")
        let line = "the quick brown fox jumps over the lazy dog\n"
        let big = String(repeating: line, count: 60_000)  // 2.6 MB, several 1 MiB reads
        write(try Zstd.compress(Array(big.utf8)), to: file)
        let s = try sentences(ofFile: file.path)
        #expect(s.count == 60_000)
        #expect(s.allSatisfy { $0.count == 9 })
    }

    /// A frame whose plain size is a whole number of the decoder's 128 KB output buffers ends
    /// exactly as a buffer fills: that is the frame's end, not a truncation.
    @Test func zstdEndingExactlyAtAnOutputBufferIsWhole() throws {
        let dir = temporaryDirectory()
        let file = dir.appendingPathComponent("exact.zst")
        let plain = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 % 251) }
        write(try Zstd.compress(plain), to: file)
        var back: [UInt8] = []
        try ByteSource(path: file.path).forEachChunk { back += $0 }
        #expect(back == plain)
    }

    @Test func truncatedZstdIsAnErrorNamingTheFile() throws {
        let dir = temporaryDirectory()
        let packed = try Zstd.compress(Array(String(repeating: text, count: 50).utf8))
        for cut in [5, packed.count / 2, packed.count - 1] {
            let file = dir.appendingPathComponent("cut\(cut).zst")
            write(Array(packed[..<cut]), to: file)
            #expect {
                try sentences(ofFile: file.path)
            } throws: { error in
                let e = error as? FlyVecError
                return e?.file == file.path && e?.kind == .corrupt && e?.offset != nil && e!.description.contains("byte")
            }
        }
    }

    @Test func corruptZstdBlockIsAnError() throws {
        let dir = temporaryDirectory()
        var packed = try Zstd.compress(Array(String(repeating: text, count: 50).utf8))
        for i in (packed.count / 2)..<(packed.count / 2 + 8) { packed[i] ^= 0xFF }
        let file = dir.appendingPathComponent("bad.zst")
        write(packed, to: file)
        #expect { try sentences(ofFile: file.path) } throws: { ($0 as? FlyVecError)?.kind == .corrupt }
    }

    @Test func invalidUTF8IsDroppedByDefaultAndRejectedWhenStrict() throws {
        let dir = temporaryDirectory()
        let file = dir.appendingPathComponent("bad.txt")
        write(Array("good wo".utf8) + [0xFF, 0xC3] + Array("rd\nline two\n".utf8), to: file)
        #expect(try sentences(ofFile: file.path) == [["good", "word"], ["line", "two"]])
        #expect {
            try sentences(ofFile: file.path, options: TokenizerOptions(strict: true))
        } throws: { error in
            let e = error as? FlyVecError
            return e?.description == "\(file.path): byte 7 (line 1): invalid UTF-8" && e?.kind == .invalidInput && e?.offset == 7
        }
    }

    @Test func missingFileAndDirectoryAreClearErrors() throws {
        let dir = temporaryDirectory()
        #expect {
            try sentences(ofFile: dir.appendingPathComponent("nope.txt").path)
        } throws: { ($0 as? FlyVecError)?.reason.contains("cannot open") == true && ($0 as? FlyVecError)?.kind == .cannotRead }
        #expect {
            try sentences(ofFile: dir.path)
        } throws: { ($0 as? FlyVecError)?.reason.contains("directory") == true && ($0 as? FlyVecError)?.kind == .cannotRead }
    }

    @Test func emptyCorpusIsAnError() throws {
        #expect {
            try encode("  \n ... \n")
        } throws: { ($0 as? FlyVecError)?.reason.contains("no tokens") == true && ($0 as? FlyVecError)?.kind == .invalidInput }
    }
}
