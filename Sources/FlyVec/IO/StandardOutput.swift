/// Bulk output to standard output, a failed write (a full disk) reported as an error rather than
/// trapping, as Foundation's `FileHandle.write` does.
public enum StandardOutput {
    /// Writes all of `bytes`.
    /// - Throws: ``FlyVecError`` `cannotWrite` naming `-`.
    public static func write(_ bytes: UnsafeRawBufferPointer) throws {
        try writeAll(1, bytes, file: "-")
    }
}
