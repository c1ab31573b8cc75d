/// The defaults of code generation, chosen from the measurements in docs/RESULTS.md.
public enum CodeDefaults {
    /// Active bits per code of the static read-outs (`target`, `context`, `sum`, `sumz`).
    public static let k = 16
    /// Active bits per code of the `usage` read-out for K of 512 or more (of K 2048 by default: 32
    /// positions of 11 bits); smaller models get K / 16, so that their codes stay sparse.
    public static let usageK = 32
    /// Read-out of static codes for a model that stores no usage profile.
    public static let readout = Readout.sum

    /// The read-out `model`'s codes use by default: `usage` when it stores a profile.
    public static func readout(for model: Model) -> Readout { model.usage != nil ? .usage : readout }

    /// The active bits of `readout`'s codes by default, for K `units`.
    public static func k(for readout: Readout, units: Int) -> Int {
        readout == .usage ? UsageSettings.sparseWidth(units: units) : min(k, units)
    }
}
