/// The defaults of code generation, chosen from the measurements in docs/RESULTS.md.
public enum CodeDefaults {
    /// Active bits per code.
    public static let k = 16
    /// Read-out of static codes.
    public static let readout = Readout.sum
}
