import FlyVec
import Foundation

/// Buffers tokenized lines and writes them to standard output in large pieces.
struct LinePrinter: TokenSink {
    var buffer: [UInt8] = []
    var fresh = true

    private mutating func append(_ bytes: some Sequence<UInt8>) {
        if !fresh { buffer.append(0x20) }
        buffer += bytes
        fresh = false
    }

    mutating func token(_ bytes: UnsafeRawBufferPointer, hasDigit: Bool) {
        if hasDigit { append(Vocabulary.numToken.utf8) } else { append(bytes) }
    }

    mutating func overlongToken() { append(Vocabulary.unknownToken.utf8) }

    mutating func endSentence() {
        buffer.append(0x0A)
        fresh = true
        if buffer.count > 1 << 20 { flush() }
    }

    /// The write that failed; later output is dropped and the command reports it.
    var failure: Error?

    mutating func flush() {
        if failure == nil {
            do { try buffer.withUnsafeBytes { try StandardOutput.write($0) } } catch { failure = error }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
