/// A streaming tokenizer implementing docs/ALGORITHM.md §1 over bytes fed in arbitrary chunks
/// (or, with `TokenizerOptions.pretokenized`, splitting on white space only).
///
/// Rules: lower-case; a sentence ends after `.` or `?` followed by white space, and at every line
/// end; punctuation and symbols are removed (so `don't` becomes `dont`); white space separates
/// tokens; a token with a digit is a `<NUM>` token. Unicode letters are kept (lower-cased) unless
/// `ascii` is set. Invalid UTF-8 bytes are dropped like punctuation (counted in `invalidBytes`),
/// or rejected with the byte offset when `strict` is set.
public struct Tokenizer: ~Copyable {
    /// Tokens longer than this many bytes are reported as overlong (unknown words).
    public static let maxTokenBytes = 120

    /// The rules this tokenizer follows.
    public let options: TokenizerOptions
    /// Plain (decompressed) bytes seen so far.
    public private(set) var offset = 0
    /// Line breaks seen so far (the current line is `lines + 1`).
    public private(set) var lines = 0
    /// Invalid UTF-8 sequences dropped so far.
    public private(set) var invalidBytes = 0

    private var buffer: UnsafeMutablePointer<UInt8>
    private var length = 0
    private var overlong = false
    private var hasDigit = false
    private var afterTerminator = false
    private var sentenceOpen = false
    // UTF-8 decoding state carried across chunks.
    private var need = 0
    private var scalar: UInt32 = 0
    private var seqLength = 0
    private var seqStart = 0

    /// A tokenizer at the start of an input.
    public init(options: TokenizerOptions = TokenizerOptions()) {
        self.options = options
        buffer = .allocate(capacity: Self.maxTokenBytes + 8)
    }

    deinit { buffer.deallocate() }

    // Byte classes of ASCII, then (at 256 + byte) the lower-case form of a letter or digit, else 0.
    private static let removed: UInt8 = 0, space: UInt8 = 4, newline: UInt8 = 5, terminator: UInt8 = 6, high: UInt8 = 7
    private static let table: [UInt8] = (0..<256).map { b -> UInt8 in
        switch b {
        case 0x0A: return newline
        case 0x09, 0x0B, 0x0C, 0x0D, 0x20: return space
        case 0x2E, 0x3F: return terminator
        case 0x80...: return high
        default: return removed
        }
    } + (0..<256).map { b -> UInt8 in
        switch b {
        case 0x61...0x7A, 0x30...0x39: return UInt8(b)
        case 0x41...0x5A: return UInt8(b | 0x20)
        default: return 0
        }
    }

    /// Feeds the next chunk of plain bytes.
    /// - Throws: `FlyVecError` of kind `invalidInput` (without a file name) on invalid UTF-8 in strict mode.
    public mutating func feed<S: TokenSink>(_ bytes: UnsafeRawBufferPointer, into sink: inout S) throws {
        if options.pretokenized { return try feedTokens(bytes, into: &sink) }
        try Self.table.withUnsafeBufferPointer { table in
            var i = 0
            let n = bytes.count
            while i < n {
                let b = bytes[i]
                let cls = table[Int(b)]
                if need > 0 && cls != Self.high {
                    try invalid(at: seqStart)  // a multi-byte sequence cut short by an ASCII byte
                }
                if table[256 + Int(b)] != 0 {
                    // The common case: a run of ASCII letters and digits, folded in one tight loop.
                    var j = i
                    if length < Self.maxTokenBytes {
                        let end = min(n, i + Self.maxTokenBytes - length)
                        var lowest: UInt8 = 0xFF
                        while j < end {
                            let c = table[256 + Int(bytes[j])]
                            if c == 0 { break }
                            buffer[length + j - i] = c
                            lowest = min(lowest, c)
                            j += 1
                        }
                        length += j - i
                        if lowest <= 0x39 { hasDigit = true }
                    } else {
                        while j < n && table[256 + Int(bytes[j])] != 0 { j += 1 }
                        overlong = true
                    }
                    afterTerminator = false
                    // Most runs end at a plain space: ended here without a trip through the switch.
                    if j < n && bytes[j] == 0x20 {
                        flush(into: &sink)
                        j += 1
                    }
                    i = j
                    continue
                }
                switch cls {
                case Self.space:
                    flush(into: &sink)
                    if afterTerminator { endSentence(into: &sink) }
                    afterTerminator = false
                case Self.newline:
                    flush(into: &sink)
                    endSentence(into: &sink)
                    lines += 1
                    afterTerminator = false
                case Self.terminator:
                    afterTerminator = true
                case Self.high:
                    try decodeHigh(b, at: offset + i, into: &sink)
                default:
                    afterTerminator = false
                }
                i += 1
            }
            offset += n
        }
    }

    /// `TokenizerOptions.pretokenized`: white space ends a token, a line end a sentence; every other
    /// byte is part of a token as it is. In strict mode a token that is not valid UTF-8 is rejected.
    private mutating func feedTokens<S: TokenSink>(_ bytes: UnsafeRawBufferPointer, into sink: inout S) throws {
        for i in 0..<bytes.count {
            switch bytes[i] {
            case 0x0A:
                try flushToken(endingAt: offset + i, into: &sink)
                endSentence(into: &sink)
                lines += 1
            case 0x09, 0x0B, 0x0C, 0x0D, 0x20:
                try flushToken(endingAt: offset + i, into: &sink)
            default:
                append(bytes[i])
            }
        }
        offset += bytes.count
    }

    private mutating func flushToken<S: TokenSink>(endingAt end: Int, into sink: inout S) throws {
        let token = UnsafeRawBufferPointer(start: buffer, count: length)
        if options.strict && length > 0 && !overlong && String(validating: token, as: UTF8.self) == nil {
            try invalid(at: end - length)
        }
        // `<NUM>` and `<UNK>` as `flyvec tokenize` writes them mean what they meant there, so that
        // training on its output is training on the text.
        if !overlong && token.elementsEqual(Self.numBytes) { hasDigit = true }
        if !overlong && token.elementsEqual(Self.unknownBytes) { overlong = true }
        flush(into: &sink)
    }

    private static let numBytes = Array(Vocabulary.numToken.utf8), unknownBytes = Array(Vocabulary.unknownToken.utf8)

    /// Passes over `bytes` without tokenizing them: they count in `offset` and `lines` only. For
    /// a reader that starts at a line start inside a file (a share of a corpus split by lines).
    mutating func skip(_ bytes: UnsafeRawBufferPointer) {
        for b in bytes where b == 0x0A { lines += 1 }
        offset += bytes.count
    }

    /// Ends the input: flushes the last token and sentence.
    public mutating func finish<S: TokenSink>(into sink: inout S) throws {
        if need > 0 { try invalid(at: seqStart) }
        if options.pretokenized { try flushToken(endingAt: offset, into: &sink) }
        flush(into: &sink)
        endSentence(into: &sink)
        afterTerminator = false
    }

    @inline(__always)
    private mutating func append(_ b: UInt8) {
        if length < Self.maxTokenBytes {
            buffer[length] = b
            length += 1
        } else {
            overlong = true
        }
    }

    @inline(__always)
    private mutating func flush<S: TokenSink>(into sink: inout S) {
        if overlong {
            sink.overlongToken()
            sentenceOpen = true
        } else if length > 0 {
            sink.token(UnsafeRawBufferPointer(start: buffer, count: length), hasDigit: hasDigit)
            sentenceOpen = true
        }
        length = 0
        overlong = false
        hasDigit = false
    }

    @inline(__always)
    private mutating func endSentence<S: TokenSink>(into sink: inout S) {
        if sentenceOpen {
            sink.endSentence()
            sentenceOpen = false
        }
    }

    private mutating func invalid(at position: Int) throws {
        need = 0
        invalidBytes += 1
        if options.strict {
            throw FlyVecError(.invalidInput, "invalid UTF-8", offset: position, position: "byte \(position) (line \(lines + 1))")
        }
    }

    private mutating func decodeHigh<S: TokenSink>(_ b: UInt8, at position: Int, into sink: inout S) throws {
        if b & 0xC0 == 0x80 {  // continuation byte
            guard need > 0 else { try invalid(at: position); return }
            scalar = scalar << 6 | UInt32(b & 0x3F)
            need -= 1
            if need == 0 {
                let minimum: UInt32 = seqLength == 2 ? 0x80 : seqLength == 3 ? 0x800 : 0x10000
                if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) {
                    try invalid(at: seqStart)
                } else {
                    handle(Unicode.Scalar(scalar)!, into: &sink)
                }
            }
            return
        }
        if need > 0 { try invalid(at: seqStart) }  // a new lead byte cuts the old sequence short
        switch b {
        case 0xC2...0xDF: need = 1; scalar = UInt32(b & 0x1F)
        case 0xE0...0xEF: need = 2; scalar = UInt32(b & 0x0F)
        case 0xF0...0xF4: need = 3; scalar = UInt32(b & 0x07)
        default: try invalid(at: position); return
        }
        seqLength = need + 1
        seqStart = position
    }

    private mutating func handle<S: TokenSink>(_ u: Unicode.Scalar, into sink: inout S) {
        let props = u.properties
        if props.isWhitespace {
            flush(into: &sink)
            if afterTerminator { endSentence(into: &sink) }
            afterTerminator = false
            return
        }
        afterTerminator = false
        if options.ascii { return }
        if props.isAlphabetic {
            for byte in props.lowercaseMapping.utf8 { append(byte) }
        } else if props.numericType == .decimal {
            for byte in String(u).utf8 { append(byte) }
            hasDigit = true
        }
    }
}
