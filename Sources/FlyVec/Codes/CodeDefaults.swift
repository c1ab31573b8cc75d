/// The defaults of code generation, chosen from the measurements in docs/RESULTS.md.
public enum CodeDefaults {
    /// Active bits per code of the static read-outs (`target`, `context`, `sum`, `sumz`).
    public static let k = 16
    /// Active bits per code of the `usage` read-out of a count-weighted profile for K of 512 or
    /// more (32 positions of 11 bits at K 2048); smaller models get K / 16, so that their codes
    /// stay sparse.
    public static let usageK = 32
    /// Active bits per code of a log-ratio profile (FlyVec's default profile) for K of 512 or
    /// more: twice `usageK`, measured better on SimLex on four corpora (docs/RESULTS.md); smaller
    /// models get K / 8.
    public static let logRatioK = 64
    /// Read-out of static codes for a model that stores no usage profile.
    public static let readout = Readout.sum

    /// The read-out `model`'s codes use by default: `usage` when it stores a profile.
    public static func readout(for model: Model) -> Readout { model.usage != nil ? .usage : readout }

    /// The active bits of `readout`'s codes by default, for K `units` and, for `usage`, a profile
    /// made with `profile`'s settings (nil: count weights).
    public static func k(for readout: Readout, units: Int, profile: UsageSettings? = nil) -> Int {
        guard readout == .usage else { return min(k, units) }
        guard profile?.effectiveWeighting == .logRatio else { return UsageSettings.sparseWidth(units: units) }
        return max(1, min(logRatioK, units / 8))
    }

    /// The active bits of `readout`'s codes of `model` by default, with its stored profile.
    public static func k(for readout: Readout, model: Model) -> Int {
        k(for: readout, units: model.options.hidden, profile: model.usage?.settings)
    }
}
