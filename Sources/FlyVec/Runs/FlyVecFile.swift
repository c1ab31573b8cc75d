/// A file FlyVec wrote, a model or a code file, told apart by its magic bytes (never its name).
public enum FlyVecFile {
    case model(Model, version: UInt32)
    case codes(CodeBook, version: UInt32)

    /// Reads and checks the file at `path`.
    public static func read(_ path: String) throws -> FlyVecFile {
        // A model's compressed bytes are let go (unmapped) before its synapses are built.
        let model = try MappedFile.withContents(of: path) { bytes -> (PayloadBuffer, UInt32)? in
            ModelFile.matches(bytes) ? try ModelFile.unwrap(bytes, file: path) : nil
        }
        if let (payload, version) = model {
            return .model(try ModelFile.decode(payload, version: version, file: path), version: version)
        }
        let bytes = try AtomicFile.read(path)
        if CodeFile.matches(bytes) {
            return .codes(try CodeFile.decode(bytes, file: path), version: CodeFile.formatVersion(of: bytes) ?? 0)
        }
        throw FlyVecError(.wrongFileKind, "neither a FlyVec model nor a code file (wrong magic bytes)", file: path)
    }
}
