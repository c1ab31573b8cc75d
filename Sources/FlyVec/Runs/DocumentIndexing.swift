import Foundation

/// Builds a document index file: reads documents, codes them with a ``DocumentHasher`` on every
/// core, and streams them into an ``IndexFile``, so a collection of any size takes bounded memory.
public enum DocumentIndexing {
    /// What became of the documents read.
    public struct Summary: Sendable, Equatable {
        /// Documents with a code, written to the index.
        public var indexed = 0
        /// Documents left out because their text is empty (or only spaces).
        public var empty = 0
        /// Documents left out because no word of theirs has a code (only stop words and words the
        /// model does not know).
        public var withoutKnownWord = 0
        /// The id of the first document left out for having no known word.
        public var firstWithoutKnownWord: String?
    }

    /// Documents coded per batch: enough to keep every core busy, few enough to bound memory.
    static let batch = 2048

    /// Writes the index of the documents `reader` yields, coded by `hasher`, to `output`.
    /// - Parameters:
    ///   - hasher: codes each document.
    ///   - settings: what the index records of the model and codes (`DocumentIndex.Settings`).
    ///   - reader: the documents, in order.
    ///   - snippetLength: characters of each document's text kept for display.
    ///   - output: the index file to write (atomically).
    ///   - threads: threads that code a batch of documents (the index does not depend on them).
    ///   - progress: the plain bytes read so far.
    /// - Throws: ``FlyVecError`` for an unreadable input (naming it) or an unwritable output;
    ///   `invalidInput` when no document has a code (no index is written).
    public static func build(hasher: DocumentHasher, settings: DocumentIndex.Settings, reader: DocumentReader,
                             snippetLength: Int = 80, to output: String,
                             threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                             progress: ((Int) -> Void)? = nil) throws -> Summary {
        var summary = Summary()
        _ = try DocumentIndex(settings: settings)  // refuses settings no index can hold, before any work
        try IndexFile.write(to: output, settings: settings) { add in
            var pending: [Document] = []
            func drain() throws {
                let codes = concurrentMap(pending.count, threads: threads) { hasher.code(of: pending[$0].text)?.activeBits }
                for (doc, code) in zip(pending, codes) {
                    if let code {
                        try add(doc.id, snippet(of: doc.text, length: snippetLength), code)
                        summary.indexed += 1
                    } else if doc.text.allSatisfy(\.isWhitespace) {
                        summary.empty += 1
                    } else {
                        summary.withoutKnownWord += 1
                        if summary.firstWithoutKnownWord == nil { summary.firstWithoutKnownWord = doc.id }
                    }
                }
                pending.removeAll(keepingCapacity: true)
            }
            try reader.forEach(progress: progress) { doc in
                pending.append(doc)
                if pending.count == batch { try drain() }
            }
            try drain()
            guard summary.indexed > 0 else {
                throw FlyVecError(.invalidInput, "no document has a word the model knows: no index written (\(summary.empty) empty, \(summary.withoutKnownWord) of unknown words)")
            }
        }
        return summary
    }

    /// The first `length` characters of `text`, runs of white space made one space.
    public static func snippet(of text: String, length: Int) -> String {
        var out = "", last: Character = " ", kept = 0
        for c in text where kept < length {
            let c: Character = c.isWhitespace ? " " : c
            if c == " " && last == " " { continue }
            out.append(c)
            last = c
            kept += 1
        }
        return out.hasSuffix(" ") ? String(out.dropLast()) : out
    }
}
