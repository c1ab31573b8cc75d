/// One document of a collection, with where it came from.
public struct Document: Sendable, Equatable {
    /// Its id: the text before the first tab of its line (with `idsBeforeTab`), else `file:line`
    /// for a line and the file's path for a whole file.
    public let id: String
    /// Its text.
    public let text: String
    /// The file it is in, and its line there (1 for a whole file).
    public let file: String, line: Int

    /// A document `id` with `text`, from line `line` of `file`.
    public init(id: String, text: String, file: String, line: Int) {
        self.id = id
        self.text = text
        self.file = file
        self.line = line
    }
}

/// Reads documents from files (plain or zstd, `-` for standard input), one a line or one a file,
/// a chunk at a time: a collection of any size in bounded memory.
public struct DocumentReader: Sendable {
    /// What one document is.
    public enum Unit: String, Sendable, CaseIterable {
        /// Each line (empty lines included, so that ids are line numbers).
        case line
        /// Each whole file.
        case file
    }

    /// The files, in order.
    public let files: [String]
    /// One document a line or a file.
    public let unit: Unit
    /// Whether a line starts with its document's id and a tab.
    public let idsBeforeTab: Bool

    /// A reader of `files`.
    public init(files: [String], unit: Unit = .line, idsBeforeTab: Bool = false) {
        self.files = files
        self.unit = unit
        self.idsBeforeTab = idsBeforeTab
    }

    /// Calls `body` with every document in order; `progress` gets the plain bytes read so far.
    /// Invalid UTF-8 becomes U+FFFD.
    /// - Throws: ``FlyVecError`` naming the file, or what `body` throws.
    public func forEach(progress: ((Int) -> Void)? = nil, _ body: (Document) throws -> Void) throws {
        var before = 0
        for path in files {
            var pending: [UInt8] = [], line = 0, read = 0
            func emit(_ bytes: some Collection<UInt8>) throws {
                line += 1
                var text = String(decoding: bytes, as: UTF8.self)
                var id = unit == .file ? path : "\(path):\(line)"
                if idsBeforeTab, let tab = text.firstIndex(of: "\t") {
                    id = String(text[..<tab])
                    text = String(text[text.index(after: tab)...])
                }
                try body(Document(id: id, text: text, file: path, line: line))
            }
            do {
                try ByteSource(path: path).forEachChunk { chunk in
                    read += chunk.count
                    if unit == .file {
                        pending += chunk
                    } else {
                        var start = 0
                        for (i, b) in chunk.enumerated() where b == 0x0A {
                            pending += chunk[start..<i]
                            try emit(pending.last == 0x0D ? pending.dropLast() : pending[...])
                            pending.removeAll(keepingCapacity: true)
                            start = i + 1
                        }
                        pending += chunk[start...]
                    }
                    progress?(before + read)
                }
            } catch let e as FlyVecError where e.file == nil {
                throw e.naming(path)
            }
            if unit == .file || !pending.isEmpty { try emit(pending) }
            before += read
        }
    }
}
