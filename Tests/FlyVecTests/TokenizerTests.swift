import Testing
import FlyVec

@Suite struct TokenizerTests {
    func tokens(_ s: String, ascii: Bool = false) -> [[String]] {
        Tokenizer.sentences(of: s, options: TokenizerOptions(ascii: ascii))
    }

    @Test func lowerCasesAndSplitsOnWhiteSpace() {
        #expect(tokens("The  Cat\tSAT") == [["the", "cat", "sat"]])
    }

    @Test func removesPunctuationInsideAndAroundTokens() {
        #expect(tokens("don't, (stop) well-known!") == [["dont", "stop", "wellknown"]])
    }

    @Test func sentenceEndsAfterPeriodOrQuestionMarkFollowedBySpace() {
        #expect(tokens("One two. Three? Four! Five") == [["one", "two"], ["three"], ["four", "five"]])
    }

    @Test func periodWithoutFollowingSpaceDoesNotSplit() {
        #expect(tokens("e.g.this 3.14 end.") == [["egthis", "<NUM>", "end"]])
    }

    @Test func everyLineEndsASentence() {
        #expect(tokens("a b\nc d\r\ne") == [["a", "b"], ["c", "d"], ["e"]])
    }

    @Test func digitBearingTokensBecomeNum() {
        #expect(tokens("in 1611 a b2b deal") == [["in", "<NUM>", "a", "<NUM>", "deal"]])
    }

    @Test func unicodeLettersAreKeptAndLowerCased() {
        #expect(tokens("Ærø CAFÉ naïve Straße") == [["ærø", "café", "naïve", "straße"]])
    }

    @Test func asciiModeDropsNonASCIILikeTheReference() {
        #expect(tokens("Ærø CAFÉ naïve", ascii: true) == [["r", "caf", "nave"]])
    }

    @Test func unicodeSpaceSeparatesAndSymbolsAreRemoved() {
        #expect(tokens("a\u{00A0}b c—d €5 ok") == [["a", "b", "cd", "<NUM>", "ok"]])
    }

    @Test func blankLinesAndPunctuationOnlyGiveNoSentence() {
        #expect(tokens("\n\n -- ... \n x \n") == [["x"]])
    }

    @Test func chunkBoundariesDoNotChangeTokens() throws {
        let text = "Café au lait. Ünïcödé wörds? Yes\nnext line 42x."
        let whole = tokens(text)
        let bytes = Array(text.utf8)
        for cut in 1..<bytes.count {
            struct Collect: TokenSink {
                var out: [[String]] = [[]]
                mutating func token(_ b: UnsafeRawBufferPointer, hasDigit: Bool) {
                    out[out.count - 1].append(hasDigit ? "<NUM>" : String(decoding: b, as: UTF8.self))
                }
                mutating func overlongToken() {}
                mutating func endSentence() { out.append([]) }
            }
            var tok = Tokenizer()
            var sink = Collect()
            try bytes[..<cut].withUnsafeBytes { try tok.feed($0, into: &sink) }
            try bytes[cut...].withUnsafeBytes { try tok.feed($0, into: &sink) }
            try tok.finish(into: &sink)
            sink.out.removeLast()
            #expect(sink.out == whole, "cut at byte \(cut)")
        }
    }

    @Test func overlongTokensAreUnknown() {
        let long = String(repeating: "a", count: Tokenizer.maxTokenBytes + 1)
        #expect(tokens("x \(long) y") == [["x", "<UNK>", "y"]])
        let fits = String(repeating: "b", count: Tokenizer.maxTokenBytes)
        #expect(tokens("x \(fits)") == [["x", fits]])
    }
}
