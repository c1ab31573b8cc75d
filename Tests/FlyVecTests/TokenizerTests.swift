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

    /// Pretokenized text: white space alone splits, lines are sentences, tokens stay as they are,
    /// wherever the chunks are cut.
    @Test func pretokenizedTextIsSplitOnWhiteSpaceOnly() throws {
        let text = "New_York is_a City.  Don't 42nd\n\n\tÉté x\r\nlast"
        let expected = [["New_York", "is_a", "City.", "Don't", "42nd"], ["Été", "x"], ["last"]]
        let options = TokenizerOptions(pretokenized: true)
        #expect(Tokenizer.sentences(of: text, options: options) == expected)
        struct Collect: TokenSink {
            var out: [[String]] = [[]]
            mutating func token(_ b: UnsafeRawBufferPointer, hasDigit: Bool) {
                #expect(!hasDigit)
                out[out.count - 1].append(String(decoding: b, as: UTF8.self))
            }
            mutating func overlongToken() { out[out.count - 1].append("<UNK>") }
            mutating func endSentence() { out.append([]) }
        }
        let bytes = Array(text.utf8)
        for cut in 0...bytes.count {
            var tok = Tokenizer(options: options)
            var sink = Collect()
            try bytes[..<cut].withUnsafeBytes { try tok.feed($0, into: &sink) }
            try bytes[cut...].withUnsafeBytes { try tok.feed($0, into: &sink) }
            try tok.finish(into: &sink)
            sink.out.removeLast()
            #expect(sink.out == expected, "cut at byte \(cut)")
        }
        let long = String(repeating: "a", count: Tokenizer.maxTokenBytes + 1)
        #expect(Tokenizer.sentences(of: "x \(long) y", options: options) == [["x", "<UNK>", "y"]])
        // Strict: a token that is not UTF-8 is refused with its offset.
        var tok = Tokenizer(options: TokenizerOptions(strict: true, pretokenized: true))
        var sink = Collect()
        let bad: [UInt8] = Array("ok fi".utf8) + [0xFF] + Array("ne\n".utf8)
        #expect {
            try bad.withUnsafeBytes { try tok.feed($0, into: &sink) }
        } throws: { ($0 as? FlyVecError)?.kind == .invalidInput && ($0 as? FlyVecError)?.offset == 3 }
    }
}
