/// Each unit's mean and 1/σ over a set of vectors (1/σ is 0 for a unit that never varies): what
/// the z-scored read-outs (`sumz`, `usage`) standardise with.
struct UnitStatistics {
    let mean: [Double]
    let inverseDeviation: [Float]

    /// Over the vectors of `rows`, `value(row, unit)` being unit `unit` of row `row`'s vector; the
    /// units are shared among `threads` threads, each summing its units over the rows in order, so
    /// the statistics do not depend on the thread count.
    init(units: Int, rows: [Int], threads: Int = 1, value: (Int, Int) -> Double) {
        var sum = [Double](repeating: 0, count: units), square = [Double](repeating: 0, count: units)
        sum.withUnsafeMutableBufferPointer { sum in
            square.withUnsafeMutableBufferPointer { square in
                nonisolated(unsafe) let (sum, square) = (sum, square)
                let T = max(1, min(threads, units))
                concurrently(T) { t in
                    let mine = (units * t / T)..<(units * (t + 1) / T)
                    for row in rows {
                        for u in mine {
                            let v = value(row, u)
                            sum[u] += v
                            square[u] += v * v
                        }
                    }
                }
            }
        }
        let n = Double(max(rows.count, 1))
        mean = sum.map { $0 / n }
        inverseDeviation = (0..<units).map { u in
            let variance = square[u] / n - (sum[u] / n) * (sum[u] / n)
            return variance > 0 ? Float(1 / variance.squareRoot()) : 0
        }
    }
}
