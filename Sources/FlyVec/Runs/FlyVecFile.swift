#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file FlyVec wrote, a model or a code file, told apart by its magic bytes (never its name).
public enum FlyVecFile {
    case model(Model, version: UInt32)
    case codes(CodeBook, version: UInt32)

    /// Reads and checks the file at `path`; a model keeps what `synapses` says of its synapses.
    public static func read(_ path: String, synapses: ModelFile.SynapseLoading = .all) throws -> FlyVecFile {
        let (fd, info) = try InputFile.openForReading(path)
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 16)
        let regular = (info.st_mode & S_IFMT) == S_IFREG
        // A pipe cannot be read twice: its bytes are read whole and told apart in memory.
        let bytes: [UInt8]? = regular ? nil : try AtomicFile.readAll(fd, size: 0, file: path)
        if regular { _ = try head.withUnsafeMutableBytes { try readRetrying(fd, into: $0.baseAddress, count: 16, file: path) } }
        if let bytes { head = Array(bytes.prefix(16)) }
        if ModelFile.matches(head) {
            let model = try bytes.map { try ModelFile.decode($0, file: path, synapses: synapses) }
                ?? ModelFile.read(path, synapses: synapses)
            // The header was checked in reading.
            return .model(model, version: ModelFile.formatVersion(of: head) ?? 0)
        }
        let all = try bytes ?? AtomicFile.read(path)
        if CodeFile.matches(all) {
            return .codes(try CodeFile.decode(all, file: path), version: CodeFile.formatVersion(of: all) ?? 0)
        }
        throw FlyVecError(.wrongFileKind, "neither a FlyVec model nor a code file (wrong magic bytes)", file: path)
    }
}
