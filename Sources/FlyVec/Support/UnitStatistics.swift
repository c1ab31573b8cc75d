/// Each unit's mean and 1/σ over a set of vectors (1/σ is 0 for a unit that never varies): what
/// the z-scored read-outs (`sumz`, `usage`) standardise with.
struct UnitStatistics {
    let mean: [Double]
    let inverseDeviation: [Float]

    /// Over the vectors of `rows`, `value(row, unit)` being unit `unit` of row `row`'s vector.
    init(units: Int, rows: some Sequence<Int>, value: (Int, Int) -> Double) {
        var sum = [Double](repeating: 0, count: units), square = [Double](repeating: 0, count: units)
        var count = 0
        for row in rows {
            count += 1
            for u in 0..<units {
                let v = value(row, u)
                sum[u] += v
                square[u] += v * v
            }
        }
        let n = Double(max(count, 1))
        mean = sum.map { $0 / n }
        inverseDeviation = (0..<units).map { u in
            let variance = square[u] / n - (sum[u] / n) * (sum[u] / n)
            return variance > 0 ? Float(1 / variance.squareRoot()) : 0
        }
    }
}
