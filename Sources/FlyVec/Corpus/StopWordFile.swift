/// A file of stop words: words separated by spaces or lines, lines starting with `#` skipped,
/// lower-cased as the tokenizer lower-cases tokens.
public enum StopWordFile {
    /// The words of the file at `path`.
    /// - Throws: ``FlyVecError`` `cannotRead` naming the file.
    public static func read(_ path: String) throws -> [String] {
        let text = String(decoding: try AtomicFile.read(path), as: UTF8.self)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }
            .flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }) }.map { $0.lowercased() }
    }
}
