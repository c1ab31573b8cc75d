/// A problem with the input corpus, naming the file and where in it the problem is.
public struct CorpusError: Error, CustomStringConvertible, Equatable {
    /// The file as the user named it (`-` is standard input).
    public let file: String
    /// Where: a byte offset, a line, or empty when the whole file is at fault.
    public let position: String
    public let reason: String

    public init(file: String, position: String = "", reason: String) {
        self.file = file
        self.position = position
        self.reason = reason
    }

    public var description: String {
        position.isEmpty ? "\(file): \(reason)" : "\(file): \(position): \(reason)"
    }
}
