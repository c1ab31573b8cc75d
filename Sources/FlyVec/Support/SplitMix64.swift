/// FlyVec's own seeded generator, so results never depend on the platform's random source.
///
/// SplitMix64 (Steele, Lea and Flood 2014): a 64-bit state advanced by a Weyl constant and mixed.
/// `N(0, σ)` samples come from the Box–Muller transform on its doubles.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The 64-bit state, advanced by the Weyl constant 0x9E3779B97F4A7C15 at every `next()`.
    public private(set) var state: UInt64

    /// A generator whose state is `seed` itself (unmixed; `init(seed:stream:)` mixes it).
    public init(seed: UInt64) { state = seed }

    /// A generator for a sub-stream (an epoch, a purpose) that does not overlap the others in practice.
    public init(seed: UInt64, stream: UInt64) {
        var mixer = SplitMix64(seed: seed ^ (stream &* 0xD1B54A32D192ED03))
        state = mixer.next()
    }

    /// This generator after `n` more calls of `next()`, without making them.
    public func skipping(_ n: UInt64) -> SplitMix64 {
        var g = self
        g.state &+= n &* 0x9E3779B97F4A7C15
        return g
    }

    /// The next 64 random bits: the state advanced by the Weyl constant, then mixed.
    public mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }

    /// A double in [0, 1) with 53 random bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// A uniform integer in `0..<bound` (Lemire's multiply-shift with rejection; no modulo bias).
    public mutating func next(below bound: UInt64) -> UInt64 {
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
        }
        return m.high
    }

    /// A normal sample with mean 0 and standard deviation `sigma` (Box–Muller).
    public mutating func nextGaussian(sigma: Double) -> Double {
        let u1 = 1.0 - nextUnit()  // (0, 1]
        let u2 = nextUnit()
        return sigma * (-2.0 * _log(u1)).squareRoot() * _cos(2.0 * Double.pi * u2)
    }
}
