import FlyVec

/// The learning rule of ALGORITHM.md §3 written straight from the formulas: Double, dense v,
/// dense ds, no tricks. Slow and obviously correct: the oracle for the fast trainer.
struct ReferenceTrainer {
    var W: [[Double]]  // K × 2·N_voc
    let f: [Double]  // 2·N_voc
    let p: Double
    let delta: Double

    init(from synapses: Synapses, counts: [Int], p: Double = 2, delta: Double = 0, frequencyPower: Double = 1) {
        W = (0..<synapses.units).map { u in (0..<synapses.inputs).map { Double(synapses.weight(unit: u, input: $0)) } }
        let half = counts.map { Foundation_pow(Double(max($0, 1)), -frequencyPower) }
        f = half + half
        self.p = p
        self.delta = delta
    }

    var units: Int { W.count }
    var inputs: Int { f.count }

    func drive(_ v: [Double]) -> [Double] {
        W.map { row in
            var a = 0.0
            for i in 0..<inputs where v[i] != 0 {
                let w = row[i]
                a += (p == 2 ? w : (w < 0 ? -1 : 1) * Foundation_pow(abs(w), p - 1)) * v[i]
            }
            return a
        }
    }

    /// One minibatch; each sample is the list of input indices of its tokens (repeats count).
    /// Returns (winners, normaliser, energy).
    mutating func batch(_ samples: [[Int]], learningRate: Double) -> (winners: [Int], normaliser: Double, energy: Double) {
        var ds = [[Double]](repeating: [Double](repeating: 0, count: inputs), count: units)
        var xx = [Double](repeating: 0, count: units)
        var winners: [Int] = []
        var energy = 0.0
        let norms = W.map { row in row.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        for rows in samples {
            var v = [Double](repeating: 0, count: inputs)
            for r in rows { v[r] += 1 }
            let a = drive(v)
            let ranked = (0..<units).sorted { a[$0] != a[$1] ? a[$0] > a[$1] : $0 < $1 }
            let win = ranked[0]
            winners.append(win)
            let x = (0..<inputs).reduce(0.0) { $0 + W[win][$1] * v[$1] * f[$1] }
            energy -= x / norms[win]
            xx[win] += x
            for i in 0..<inputs { ds[win][i] += v[i] * f[i] }
            if delta > 0 {
                let second = ranked[1]
                let y = (0..<inputs).reduce(0.0) { $0 + W[second][$1] * v[$1] * f[$1] }
                xx[second] -= delta * y
                for i in 0..<inputs { ds[second][i] -= delta * v[i] * f[i] }
            }
        }
        var nc = 0.0
        for u in 0..<units {
            for i in 0..<inputs {
                ds[u][i] -= xx[u] * W[u][i]
                nc = max(nc, abs(ds[u][i]))
            }
        }
        let step = learningRate / max(nc, 1e-30)
        for u in 0..<units { for i in 0..<inputs { W[u][i] += step * ds[u][i] } }
        return (winners, nc, energy)
    }
}

#if canImport(Glibc)
import Glibc
func Foundation_pow(_ a: Double, _ b: Double) -> Double { Glibc.pow(a, b) }
#else
import Darwin
func Foundation_pow(_ a: Double, _ b: Double) -> Double { Darwin.pow(a, b) }
#endif
