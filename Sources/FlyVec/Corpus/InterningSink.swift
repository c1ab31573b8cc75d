/// Counts and interns tokens as provisional ids: 0 overlong, 1 `<NUM>`, 2+ the table's types.
/// Fed by `consume`, one batch from the reading thread at a time.
struct InterningSink {
    let table = TokenTable()
    private(set) var numCount = 0
    let ids: IdBuffer
    let sentenceEnds: IdBuffer
    private var lastEnd = -1

    init(ids: IdBuffer, sentenceEnds: IdBuffer) {
        self.ids = ids
        self.sentenceEnds = sentenceEnds
    }

    private mutating func endSentence() {
        if lastEnd != ids.count {
            sentenceEnds.append(UInt32(truncatingIfNeeded: ids.count))
            lastEnd = ids.count
        }
    }

    /// Interns a batch from the reading thread, in order.
    mutating func consume(_ batch: TokenBatch) {
        // The slots of tokens a few ahead are requested early: most time here is cache misses.
        let ahead = 8
        let hashes = batch.hashes.base, tokens = batch.hashes.count
        for t in 0..<min(ahead, tokens) { table.prefetch(hash: hashes[t]) }
        var bytes = UnsafeRawPointer(batch.bytes.base)
        var token = 0
        for e in UnsafeBufferPointer(start: batch.events.base, count: batch.events.count) {
            switch e {
            case TokenBatch.num:
                numCount += 1
                ids.append(1)
            case TokenBatch.overlong: ids.append(0)
            case TokenBatch.end: endSentence()
            default:
                let n = Int(e)
                if token + ahead < tokens { table.prefetch(hash: hashes[token + ahead]) }
                let id = table.add(UnsafeRawBufferPointer(start: bytes, count: n), hash: hashes[token],
                                   sentence: sentenceEnds.count, padded: true)
                ids.append(UInt32(id + 2))
                bytes += n
                token += 1
            }
        }
    }
}
