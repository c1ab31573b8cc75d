import CFlyVecSupport
import Testing
import FlyVec

/// The principal directions a usage profile loses: the thin-product kernels against plain loops,
/// and the directions against a planted subspace and an independent eigen-solver.
@Suite struct DirectionsTests {
    /// `rows` × `units` values from a seeded generator.
    func matrix(rows: Int, units: Int, seed: UInt64) -> [Float] {
        var g = SplitMix64(seed: seed)
        return (0..<(rows * units)).map { _ in Float(g.nextGaussian(sigma: 1)) }
    }

    /// Each kernel, on both paths, against the same sums written as plain Swift loops in the same
    /// order (Swift never fuses a multiply with its add, so the floats must match exactly). 600
    /// units span several of the vector kernels' blocks of units and end off their width.
    @Test(arguments: [(8, 40), (16, 40), (24, 40), (5, 40), (40, 600), (24, 600), (17, 600)])
    func thinProductsAreThePlainSums(width: Int, units: Int) {
        let stored = 37
        let m = matrix(rows: stored, units: units, seed: 1)
        // Not ascending, one twice, and enough of them (21) for the subtraction's vector path.
        let rows: [Int64] = [3, 0, 36, 17, 17, 8, 21, 5, 30, 11, 2, 33, 14, 27, 9, 1, 35, 20, 6, 24, 12]
        let thin = matrix(rows: units, units: width, seed: 2)
        let tall = matrix(rows: rows.count, units: width, seed: 3)
        var expected = [Float](repeating: 0, count: rows.count * width)
        for (r, row) in rows.enumerated() {
            for j in 0..<width {
                var s: Float = 0
                for u in 0..<units { s += m[Int(row) * units + u] * thin[u * width + j] }
                expected[r * width + j] = s
            }
        }
        var expectedT = [Float](repeating: -1, count: units * width)
        let (begin, end) = (5, units - 7)
        for u in begin..<end {
            for j in 0..<width {
                var s: Float = 0
                for (r, row) in rows.enumerated() { s += m[Int(row) * units + u] * tall[r * width + j] }
                expectedT[u * width + j] = s
            }
        }
        // The subtraction: directions are `width` rows of `units` values.
        let directions = matrix(rows: width, units: units, seed: 4)
        var expectedS = m
        for (r, row) in rows.enumerated() {
            for d in 0..<width { for u in 0..<units { expectedS[Int(row) * units + u] -= tall[r * width + d] * directions[d * units + u] } }
        }
        for vector in [Int32(0), 1] {
            var out = [Float](repeating: .nan, count: rows.count * width)
            flyvec_rows_times(m, units, rows, rows.count, thin, width, &out, vector)
            #expect(out == expected, "rows times, vector \(vector)")
            var outT = [Float](repeating: -1, count: units * width)
            flyvec_rows_transpose_times(m, units, rows, rows.count, tall, width, begin, end, &outT, vector)
            #expect(outT == expectedT, "transpose times, vector \(vector)")
            var s = m
            flyvec_rows_subtract(&s, units, rows, rows.count, tall, width, directions, vector)
            #expect(s == expectedS, "subtract, vector \(vector)")
        }
    }

    /// The per-unit sums and sums of squares the profile is z-scored with, on both paths, against
    /// plain Swift sums in Double in row order, over a range of units that starts and ends off the
    /// vector width, added onto sums already there.
    @Test func unitMomentsAreThePlainSums() {
        let units = 43, stored = 29
        let m = matrix(rows: stored, units: units, seed: 5)
        let rows: [Int64] = [4, 28, 0, 13, 13, 7, 22, 1]
        let (lo, hi) = (3, 40)
        var sum = (0..<units).map { Double($0) / 7 }, square = (0..<units).map { Double($0) / 3 }
        for row in rows {
            for u in lo..<hi {
                let v = Double(m[Int(row) * units + u])
                sum[u] += v
                square[u] += v * v
            }
        }
        for vector in [Int32(0), 1] {
            var s = (0..<units).map { Double($0) / 7 }, q = (0..<units).map { Double($0) / 3 }
            flyvec_unit_moments(m, units, rows, rows.count, lo, hi, &s, &q, vector)
            #expect(s == sum && q == square, "vector \(vector)")
        }
    }

    /// Rows built from four planted orthonormal directions of decreasing strength plus weaker noise,
    /// centred: the four directions found span the covariance's four strongest eigenvectors (found
    /// here by power iteration with deflation), strongest first, orthonormal; the same floats on 1
    /// and 3 threads and on both kernel paths.
    @Test func plantedDirectionsAreFound() {
        let n = 300, K = 48, D = 4
        var g = SplitMix64(seed: 9)
        // Planted directions: Gram–Schmidt over Gaussian vectors.
        var planted: [[Double]] = []
        for _ in 0..<D {
            var v = (0..<K).map { _ in g.nextGaussian(sigma: 1) }
            for e in planted { let c = dot(v, e); v = zip(v, e).map { $0 - c * $1 } }
            let norm = dot(v, v).squareRoot()
            planted.append(v.map { $0 / norm })
        }
        let strengths = [8.0, 6, 4, 3]
        var rows = (0..<n).map { _ in
            var row = (0..<K).map { _ in g.nextGaussian(sigma: 0.3) }
            for (e, s) in zip(planted, strengths) {
                let c = g.nextGaussian(sigma: s)
                for u in 0..<K { row[u] += c * e[u] }
            }
            return row
        }
        for u in 0..<K {
            let mean = rows.reduce(0) { $0 + $1[u] } / Double(n)
            for r in 0..<n { rows[r][u] -= mean }
        }
        // A stored matrix with two rows that are not part of the set.
        var stored = [Float](repeating: 99, count: (n + 2) * K)
        for r in 0..<n { for u in 0..<K { stored[(r + 1) * K + u] = Float(rows[r][u]) } }
        let ids = Array(1...n)
        // The covariance's strongest eigenvectors, by power iteration with deflation.
        var covariance = [[Double]](repeating: [Double](repeating: 0, count: K), count: K)
        for r in 0..<n { for a in 0..<K { for b in 0..<K { covariance[a][b] += Double(stored[(r + 1) * K + a]) * Double(stored[(r + 1) * K + b]) } } }
        var exact: [[Double]] = []
        for _ in 0..<D {
            var v = [Double](repeating: 1, count: K)
            for _ in 0..<2000 {
                v = covariance.map { dot($0, v) }
                for e in exact { let c = dot(v, e); v = zip(v, e).map { $0 - c * $1 } }
                let norm = dot(v, v).squareRoot()
                v = v.map { $0 / norm }
            }
            exact.append(v)
        }
        let found = stored.withUnsafeBufferPointer { PrincipalDirections(count: D, of: $0.baseAddress!, units: K, rows: ids, threads: 2) }
        #expect(found.count == D && found.units == K)
        let vectors = (0..<D).map { d in (0..<K).map { Double(found.vectors[d * K + $0]) } }
        for d in 0..<D {
            #expect(abs(abs(dot(vectors[d], exact[d])) - 1) < 1e-4, "direction \(d)")
            #expect(abs(abs(dot(vectors[d], planted[d])) - 1) < 0.01, "planted direction \(d)")
            for e in 0..<D { #expect(abs(dot(vectors[d], vectors[e]) - (d == e ? 1 : 0)) < 1e-5) }
        }
        for (threads, vector) in [(1, true), (3, true), (2, false)] {
            let again = stored.withUnsafeBufferPointer {
                PrincipalDirections(count: D, of: $0.baseAddress!, units: K, rows: ids, threads: threads, allowVector: vector)
            }
            #expect(again.vectors == found.vectors, "\(threads) threads, vector \(vector)")
        }
        // Removal leaves a vector orthogonal to every direction, and takes away only its projection.
        var v = (0..<K).map { _ in Float(g.nextGaussian(sigma: 1)) }
        let before = v.map(Double.init)
        found.remove(from: &v)
        var rebuilt = v.map(Double.init)
        for e in vectors {
            #expect(abs(dot(v.map(Double.init), e)) < 1e-5)
            let c = dot(before, e)
            for u in 0..<K { rebuilt[u] += c * e[u] }
        }
        #expect(zip(rebuilt, before).allSatisfy { abs($0 - $1) < 1e-5 })
        // Kept only when outstanding: a direction's variance over the average direction's, from the
        // exact eigenvectors and the covariance's trace.
        let average = (0..<K).reduce(0) { $0 + covariance[$1][$1] } / Double(K)
        let ratios = exact.map { e in dot(e, covariance.map { dot($0, e) }) / average }
        #expect(ratios[0] > ratios[1] && ratios[1] > 1.5 * ratios[2], "\(ratios)")
        let middle = (ratios[1] + ratios[2]) / 2
        let outstanding = stored.withUnsafeBufferPointer {
            PrincipalDirections(count: D, of: $0.baseAddress!, units: K, rows: ids, threads: 2, strongerThan: middle)
        }
        #expect(outstanding.count == 2 && outstanding.vectors == Array(found.vectors[..<(2 * K)]))
        let noneStandOut = stored.withUnsafeBufferPointer {
            PrincipalDirections(count: D, of: $0.baseAddress!, units: K, rows: ids, threads: 1, strongerThan: ratios[0] * 1.1)
        }
        #expect(noneStandOut.count == 0 && noneStandOut.vectors.isEmpty)
        // More directions than rows or units: as many as there can be; none asked, none found.
        let few = stored.withUnsafeBufferPointer { PrincipalDirections(count: 10, of: $0.baseAddress!, units: K, rows: [1, 2, 3], threads: 1) }
        #expect(few.count == 3)
        let none = stored.withUnsafeBufferPointer { PrincipalDirections(count: 0, of: $0.baseAddress!, units: K, rows: ids, threads: 1) }
        #expect(none.count == 0 && none.vectors.isEmpty)
    }

    func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
}
