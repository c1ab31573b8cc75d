import CFlyVecSupport
import Foundation
import Testing
import FlyVec

/// The initial synapses' normal samples (flyvec_gaussian_pairs): each against the Box–Muller
/// formula in double precision with libm, the vector path against the portable one bit for bit,
/// and their distribution.
@Suite struct GaussianTests {
    /// The state whose next draw is `z`: SplitMix64's mixing undone step by step.
    static func state(drawing z: UInt64) -> UInt64 {
        func inverse(_ m: UInt64) -> UInt64 {
            var x = m  // Newton's iteration for the inverse modulo 2^64 (m is odd)
            for _ in 0..<6 { x = x &* (2 &- m &* x) }
            return x
        }
        var x = z ^ (z >> 31) ^ (z >> 62)
        x = x &* inverse(0x94D049BB133111EB)
        x = x ^ (x >> 27) ^ (x >> 54)
        x = x &* inverse(0xBF58476D1CE4E5B9)
        x = x ^ (x >> 30) ^ (x >> 60)
        return x &- 0x9E3779B97F4A7C15
    }

    /// Draws whose bits reach the transform's edges: u1 = 1 (radius 0) and its smallest value,
    /// both sides of the mantissa's halving at √2, and u2 at 0, at its largest and around every
    /// boundary between quadrants.
    static var edgeDraws: [UInt64] {
        let tops: [UInt64] = [0xFFFFFF, 0, 1, 0x7FFFFF, 0x800000, 11_863_281, 11_863_282, 11_863_283, 0x3FFFFF]
        var lows: [UInt64] = [0, 0xFFFFFF, 1]
        for q in 0...4 {
            let center = Int64(q) << 22
            for d: Int64 in [-(1 << 21) - 1, -(1 << 21), -(1 << 21) + 1, -1, 0, 1, (1 << 21) - 1] {
                let k = center + d
                if k >= 0 && k < 1 << 24 { lows.append(UInt64(k)) }
            }
        }
        return tops.flatMap { t in lows.map { l in t << 40 | l << 16 | 0xBEEF } }
    }

    /// σ·sqrt(−2 ln u1)·(cos, sin)(2π u2) in double precision from draw z's bits.
    static func reference(_ z: UInt64, sigma: Double) -> (Double, Double) {
        let u1 = Double((z >> 40) + 1) / 16_777_216, u2 = Double((z >> 16) & 0xFFFFFF) / 16_777_216
        let r = sigma * (-2 * log(u1)).squareRoot()
        return (r * cos(2 * Double.pi * u2), r * sin(2 * Double.pi * u2))
    }

    @Test func undoingTheMixingGivesTheDraw() {
        for z in Self.edgeDraws + [0, ~0, 0x0123_4567_89AB_CDEF] {
            var g = SplitMix64(seed: Self.state(drawing: z))
            #expect(g.next() == z)
        }
    }

    /// Both paths against the double-precision formula (within 4e-7·(σ + radius): a few units
    /// in the last place; a wrong quadrant or sign is off by about σ), and the vector path against
    /// the portable one float for float, over counts below, at and past the eight lanes; every
    /// state advances by one draw.
    @Test func pairsFollowTheFormulaAndBothPathsAgree() {
        var seeds = SplitMix64(seed: 5)
        // Random draws first: the edge draws' first ones all have u1 = 1, radius 0, so the short
        // counts would compare zeros only.
        var starts = (0..<20).map { _ in seeds.next() }
        starts += Self.edgeDraws.map { Self.state(drawing: $0) }
        starts += (0..<200_003).map { _ in seeds.next() }
        for sigma: Float in [0.02, 1] {
            var worst = 0.0
            for count in [1, 3, 7, 8, 9, 17, starts.count] {
                let chunk = Array(starts.prefix(count))
                var results: [[Float]] = []
                for vector: Int32 in [0, 1] {
                    var states = chunk
                    var a = [Float](repeating: .nan, count: count), b = a
                    flyvec_gaussian_pairs(&states, count, sigma, &a, &b, vector)
                    for i in 0..<count {
                        var g = SplitMix64(seed: chunk[i])
                        let z = g.next()
                        #expect(states[i] == g.state)
                        let (c, s) = Self.reference(z, sigma: Double(sigma))
                        let radius = (c * c + s * s).squareRoot()
                        let error = max(abs(Double(a[i]) - c), abs(Double(b[i]) - s)) / (Double(sigma) + radius)
                        worst = max(worst, error)
                    }
                    results.append(a + b)
                }
                #expect(zip(results[0], results[1]).allSatisfy { $0.bitPattern == $1.bitPattern }, "count \(count)")
            }
            #expect(worst < 4e-7, "sigma \(sigma): largest error \(worst) of σ + radius")
        }
    }

    /// Two million samples (a million pairs) are N(0, 1): mean, variance, fourth moment, the share
    /// beyond 2 and beyond 3, and the correlation of a pair's two values, each within five of its
    /// standard errors.
    @Test func samplesAreStandardNormal() {
        let n = 1_000_000
        var rng = SplitMix64(seed: 11)
        var states = (0..<n).map { _ in rng.next() }
        var a = [Float](repeating: 0, count: n), b = a
        flyvec_gaussian_pairs(&states, n, 1, &a, &b, 1)
        let x = (a + b).map(Double.init), count = Double(x.count)
        let mean = x.reduce(0, +) / count
        let m2 = x.reduce(0) { $0 + $1 * $1 } / count
        let m4 = x.reduce(0) { $0 + $1 * $1 * $1 * $1 } / count
        #expect(abs(mean) < 5 * (1 / count).squareRoot())
        #expect(abs(m2 - 1) < 5 * (2 / count).squareRoot())
        #expect(abs(m4 - 3) < 5 * (96 / count).squareRoot())
        for (limit, share) in [(2.0, 0.045500263896), (3.0, 0.002699796063)] {
            let seen = Double(x.filter { abs($0) > limit }.count) / count
            #expect(abs(seen - share) < 5 * (share * (1 - share) / count).squareRoot(), "beyond \(limit): \(seen)")
        }
        let correlation = zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) } / Double(n)
        #expect(abs(correlation) < 5 * (1 / Double(n)).squareRoot())
    }
}
