/// A file FlyVec wrote, a model or a code file, told apart by its magic bytes (never its name).
public enum FlyVecFile {
    case model(Model, version: UInt32)
    case codes(CodeBook, version: UInt32)

    /// Reads and checks the file at `path`.
    public static func read(_ path: String) throws -> FlyVecFile {
        let bytes = try AtomicFile.read(path)
        if ModelFile.matches(bytes) {
            let version = ModelFile.formatVersion(of: bytes) ?? 0
            return .model(try ModelFile.decode(consume bytes, file: path), version: version)
        }
        if CodeFile.matches(bytes) {
            return .codes(try CodeFile.decode(bytes, file: path), version: CodeFile.formatVersion(of: bytes) ?? 0)
        }
        throw FlyVecError(.wrongFileKind, "neither a FlyVec model nor a code file (wrong magic bytes)", file: path)
    }
}
