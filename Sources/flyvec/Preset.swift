import ArgumentParser
import FlyVec

enum Preset: String, ExpressibleByArgument, CaseIterable {
    /// FlyVec's defaults: K 2048, one epoch, f = count^-0.75, a usage profile stored in the model.
    case flyvec
    /// FlyVec's defaults before 2026-12-07: the same, but the stored profile weighs pairs by count.
    case countWeights = "count-weights"
    /// FlyVec's defaults before 2026-12-06: count weights, and the stored profile keeps its
    /// strongest principal directions.
    case wholeProfile = "whole-profile"
    /// FlyVec's defaults before the stored profile: K 400, 5 epochs, f = 1/count, no profile.
    case classic
    /// The reference trainer's settings exactly (window 11, lr 2e-4, batch 10,000, 15 epochs, K 400).
    case reference
    /// K 4096, one epoch, f = count^-0.75, no profile: the earlier `--readout usage --corpus` recipe.
    case wide

    var options: TrainingOptions {
        switch self {
        case .flyvec: TrainingOptions()
        case .countWeights: .countWeights
        case .wholeProfile: .wholeProfile
        case .classic: .classic
        case .reference: .reference
        case .wide: .wide
        }
    }
}
