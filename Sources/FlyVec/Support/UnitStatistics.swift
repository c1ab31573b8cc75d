import CFlyVecSupport

/// Each unit's mean and 1/σ over a set of vectors (1/σ is 0 for a unit that never varies): what
/// the z-scored read-outs (`sumz`, `usage`) standardise with.
struct UnitStatistics {
    let mean: [Double]
    let inverseDeviation: [Float]

    /// Over the vectors of `rows`, `value(row, unit)` being unit `unit` of row `row`'s vector; the
    /// units are shared among `threads` threads, each summing its units over the rows in order, so
    /// the statistics do not depend on the thread count.
    init(units: Int, rows: [Int], threads: Int = 1, value: (Int, Int) -> Double) {
        (mean, inverseDeviation) = Self.statistics(units: units, rows: rows, threads: threads, value)
    }

    /// Over the `rows` of `vectors`, `units` floats a row: the same statistics, summed in the same
    /// order, with the values read in place by a C kernel (a usage profile at K 2048 has 40
    /// million of them; `flyvec_unit_moments`, whose paths give the same sums).
    init(vectors: UnsafePointer<Float>, units: Int, rows: [Int], threads: Int = 1) {
        nonisolated(unsafe) let vectors = vectors
        (mean, inverseDeviation) = Self.statistics(units: units, rows: rows, threads: threads) { lo, hi, sum, square in
            rows.withUnsafeBufferPointer { ids in
                ids.withMemoryRebound(to: Int64.self) { ids in
                    flyvec_unit_moments(vectors, units, ids.baseAddress!, ids.count, lo, hi, sum, square, 1)
                }
            }
        }
    }

    /// Sums over rows by `value(row, unit)`, unit by unit.
    @inline(__always)
    private static func statistics(units: Int, rows: [Int], threads: Int,
                                   _ value: (Int, Int) -> Double) -> ([Double], [Float]) {
        statistics(units: units, rows: rows, threads: threads) { lo, hi, sum, square in
            for row in rows {
                for u in lo..<hi {
                    let v = value(row, u)
                    sum[u] += v
                    square[u] += v * v
                }
            }
        }
    }

    /// `add(lo, hi, sum, square)` adds the rows' units lo..<hi, in row order, on one of `threads`
    /// threads; each unit is summed by one thread, so the statistics do not depend on their number.
    private static func statistics(units: Int, rows: [Int], threads: Int,
                                   add: (Int, Int, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>) -> Void) -> ([Double], [Float]) {
        var sum = [Double](repeating: 0, count: units), square = [Double](repeating: 0, count: units)
        sum.withUnsafeMutableBufferPointer { sum in
            square.withUnsafeMutableBufferPointer { square in
                nonisolated(unsafe) let (sum, square) = (sum.baseAddress!, square.baseAddress!)
                let T = max(1, min(threads, units))
                concurrently(T) { t in add(units * t / T, units * (t + 1) / T, sum, square) }
            }
        }
        let n = Double(max(rows.count, 1))
        let inverseDeviation = (0..<units).map { u -> Float in
            let variance = square[u] / n - (sum[u] / n) * (sum[u] / n)
            return variance > 0 ? Float(1 / variance.squareRoot()) : 0
        }
        return (sum.map { $0 / n }, inverseDeviation)
    }
}
