/// Every error FlyVec's library throws: what kind of failure, and where.
///
/// Switch on `kind` to tell a wrong version from a truncated file or a bad setting; `file`,
/// `offset` and `position` say where, when there is a where. `description` is one line for people.
public struct FlyVecError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The category of a failure; the raw value is the case's name.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// A setting out of its range; `parameter` names it.
        case invalidParameter
        /// Text input that breaks a rule: invalid UTF-8 in strict mode, a malformed vocabulary or
        /// word-pair line, a corpus with no tokens or no full window, a word not in the vocabulary.
        case invalidInput
        /// A file that cannot be opened or read (or is a directory).
        case cannotRead
        /// A file that cannot be written (or synced, or renamed into place).
        case cannotWrite
        /// A file that is not the kind expected (wrong magic bytes).
        case wrongFileKind
        /// A FlyVec file of a format version this build does not read.
        case unsupportedVersion
        /// A FlyVec or zstd file that is truncated or whose content is inconsistent.
        case corrupt
        /// Parts that do not belong together: a profile made with another model, sizes that disagree.
        case mismatch
        /// Memory or temporary disk space ran out (a large corpus's ids spill to `TMPDIR`).
        case outOfSpace
        /// Beyond what FlyVec supports: over 4 billion tokens, a model that cannot be stored so.
        case unsupported
        /// The processes training together (`Cluster`) could not exchange: one of them is gone.
        case clusterFailed
    }

    /// What category of failure this is: switch on it to handle errors by cause.
    public let kind: Kind
    /// What went wrong, for people.
    public let reason: String
    /// The file at fault, as the caller named it (`-` is standard input).
    public let file: String?
    /// The byte offset of the problem in the file (in the plain bytes of a compressed corpus, in
    /// the payload of a FlyVec file), when known.
    public let offset: Int?
    /// Where, for people: "byte 7 (line 1)", "compressed byte 100–200", "line 3".
    public let position: String?
    /// For `invalidParameter`: the parameter as the library spells it (`hidden`, `learningRate`,
    /// `usage.window`).
    public let parameter: String?

    /// An error of `kind` for `reason`; the other arguments say where and which setting, when known
    /// (see the properties of the same names).
    public init(_ kind: Kind, _ reason: String, file: String? = nil, offset: Int? = nil, position: String? = nil,
                parameter: String? = nil) {
        self.kind = kind
        self.reason = reason
        self.file = file
        self.offset = offset
        self.position = position
        self.parameter = parameter
    }

    /// A setting out of its range.
    public static func parameter(_ name: String, _ why: String) -> FlyVecError {
        FlyVecError(.invalidParameter, why, parameter: name)
    }

    /// The same error, naming `file` (and keeping its position).
    public func naming(_ file: String) -> FlyVecError {
        FlyVecError(kind, reason, file: file, offset: offset, position: position, parameter: parameter)
    }

    /// One line for people: `file: position: parameter reason`, each of the first three only when set.
    public var description: String {
        var out = ""
        if let file { out += "\(file): " }
        if let position { out += "\(position): " }
        if let parameter { out += "\(parameter) " }
        return out + reason
    }
}
