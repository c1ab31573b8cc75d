import CFlyVecSupport

/// The strongest principal directions of a set of rows of K floats whose every unit has mean 0 over
/// them (a z-scored usage profile), and their removal: the profile's strongest directions are
/// shared by most words (how frequent a word is, how generic its contexts are) and say little about
/// which words are alike, so the default read-out takes them out (docs/ALGORITHM.md §9).
///
/// Found by randomised subspace iteration (Halko, Martinsson and Tropp 2011): a Gaussian start of
/// `count + oversampling` columns from a fixed seed, `iterations` products with the rows' Gram
/// matrix, each followed by an orthonormalisation, then the Rayleigh–Ritz step. Each pass over the
/// rows is two thin matrix products; the result does not depend on the number of threads.
public struct PrincipalDirections: Sendable {
    /// Columns beyond `count` in the iteration (at least; rounded up to a multiple of 8 for the
    /// vector kernels): they speed up the convergence of the last directions.
    static let oversampling = 8
    /// Products with the Gram matrix. The codes need the strongest subspace roughly, not exactly:
    /// with 2, the default en-mix models' SimLex is within 0.004 of the exact directions' (seeds 1–3).
    static let iterations = 2

    /// Units per row.
    public let units: Int
    /// Directions found: at most the `count` asked for, the units and the rows.
    public let count: Int
    /// `count` × `units`, orthonormal rows, the strongest first.
    public let vectors: [Float]

    /// Directions as stored in a model file.
    init(units: Int, vectors: [Float]) {
        self.units = units
        count = units > 0 ? vectors.count / units : 0
        self.vectors = vectors
    }

    /// The `count` strongest principal directions of the rows `rows` of `matrix` (`units` floats a
    /// row, each unit centred over those rows), on `threads` threads (the result does not depend on
    /// their number). `allowVector` false keeps to the portable kernels, which give the same floats.
    /// With `strongerThan` s, only those of them whose variance is over s times the average
    /// direction's (the rows' total variance over K) are kept: the directions that stand out of
    /// the bulk of the spectrum.
    public init(count requested: Int, of matrix: UnsafePointer<Float>, units K: Int, rows: [Int], threads: Int,
                strongerThan: Double? = nil, allowVector: Bool = true) {
        units = K
        let D = max(0, min(requested, K, rows.count))
        guard D > 0 else { vectors = []; count = 0; return }
        let p = min(K, rows.count, (D + Self.oversampling + 7) / 8 * 8)
        let ids = rows.map { Int64($0) }
        var generator = SplitMix64(seed: 0x5EED_D1EC, stream: 1)
        var start = (0..<(K * p)).map { _ in generator.nextGaussian(sigma: 1) }
        var basis = Self.orthonormalColumns(&start, rows: K, columns: p)
        var products = [Float](repeating: 0, count: rows.count * p)
        for _ in 0..<Self.iterations {
            Self.times(matrix, units: K, rows: ids, basis: basis, width: p, into: &products, threads: threads, allowVector: allowVector)
            var gram = Self.transposeTimes(matrix, units: K, rows: ids, products: products, width: p, threads: threads, allowVector: allowVector)
            basis = Self.orthonormalColumns(&gram, rows: K, columns: p)
        }
        // Rayleigh–Ritz: the eigenvectors of the basis' projection of the Gram matrix.
        Self.times(matrix, units: K, rows: ids, basis: basis, width: p, into: &products, threads: threads, allowVector: allowVector)
        var small = [Double](repeating: 0, count: p * p)
        var row = [Double](repeating: 0, count: p)
        small.withUnsafeMutableBufferPointer { small in
            row.withUnsafeMutableBufferPointer { row in
                for r in 0..<rows.count {
                    for j in 0..<p { row[j] = Double(products[r * p + j]) }
                    for i in 0..<p {
                        let a = row[i]
                        for j in i..<p { small[i * p + j] += a * row[j] }
                    }
                }
            }
        }
        for i in 0..<p { for j in 0..<i { small[i * p + j] = small[j * p + i] } }
        let (variances, eigenvectors) = Self.symmetricEigen(small, size: p)
        var kept = D
        if let strongerThan {
            // The total variance: fixed runs of rows summed on every thread, then the runs in
            // order, so the same whatever the thread count.
            let run = 256
            nonisolated(unsafe) let matrix = matrix
            let partial = concurrentMap((rows.count + run - 1) / run, threads: threads) { b in
                var s = 0.0
                for r in rows[(b * run)..<min(rows.count, (b + 1) * run)] {
                    // Four sums a row, so that the additions need not wait on one another.
                    let row = matrix + r * K
                    var q = (0.0, 0.0, 0.0, 0.0), u = 0
                    while u + 4 <= K {
                        q.0 += Double(row[u]) * Double(row[u])
                        q.1 += Double(row[u + 1]) * Double(row[u + 1])
                        q.2 += Double(row[u + 2]) * Double(row[u + 2])
                        q.3 += Double(row[u + 3]) * Double(row[u + 3])
                        u += 4
                    }
                    while u < K { q.0 += Double(row[u]) * Double(row[u]); u += 1 }
                    s += (q.0 + q.1) + (q.2 + q.3)
                }
                return s
            }
            let total = partial.reduce(0, +)
            let bound = strongerThan * total / Double(K)
            kept = variances.prefix(D).prefix { $0 > bound }.count
        }
        count = kept
        var out = [Float](repeating: 0, count: kept * K)
        for d in 0..<kept {
            for u in 0..<K {
                var s = 0.0
                for j in 0..<p { s += Double(basis[u * p + j]) * eigenvectors[j * p + d] }
                out[d * K + u] = Float(s)
            }
        }
        vectors = out
    }

    /// The first `count` of these directions (all of them when there are fewer).
    func prefix(_ count: Int) -> PrincipalDirections {
        PrincipalDirections(units: units, vectors: Array(vectors.prefix(max(0, count) * units)))
    }

    /// Removes the directions from the rows `rows` of `matrix` (each row minus its projection on
    /// them), on `threads` threads.
    func remove(fromRows rows: [Int], of matrix: UnsafeMutablePointer<Float>, threads: Int, allowVector: Bool = true) {
        guard count > 0, !rows.isEmpty else { return }
        let K = units, D = count
        // The directions as K × W columns, for the coefficients' product; W pads D to the vector
        // kernel's multiple of 8 with columns of zeros, whose coefficients are not used.
        let W = (D + 7) / 8 * 8
        var columns = [Float](repeating: 0, count: K * W)
        for d in 0..<D { for u in 0..<K { columns[u * W + d] = vectors[d * K + u] } }
        let chunk = 256
        nonisolated(unsafe) let matrix = matrix
        _ = concurrentMap((rows.count + chunk - 1) / chunk, threads: threads) { b in
            let ids = rows[(b * chunk)..<min(rows.count, (b + 1) * chunk)].map { Int64($0) }
            var padded = [Float](repeating: 0, count: ids.count * W)
            flyvec_rows_times(matrix, K, ids, ids.count, columns, W, &padded, allowVector ? 1 : 0)
            var coefficients = [Float](repeating: 0, count: ids.count * D)
            for r in 0..<ids.count { for d in 0..<D { coefficients[r * D + d] = padded[r * W + d] } }
            flyvec_rows_subtract(matrix, K, ids, ids.count, coefficients, D, vectors, allowVector ? 1 : 0)
        }
    }

    /// Removes the directions from one vector of `units` floats (its projection on them).
    public func remove(from v: inout [Float]) {
        guard count > 0 else { return }
        v.withUnsafeMutableBufferPointer { remove(fromRows: [0], of: $0.baseAddress!, threads: 1) }
    }

    /// Rows `rows` of `matrix` times `basis` (units × width) into `out` (rows × width), in chunks of rows.
    private static func times(_ matrix: UnsafePointer<Float>, units K: Int, rows: [Int64], basis: [Float], width p: Int,
                              into out: inout [Float], threads: Int, allowVector: Bool) {
        let chunk = 512
        out.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out.baseAddress!
            _ = concurrentMap((rows.count + chunk - 1) / chunk, threads: threads) { b in
                let lo = b * chunk, hi = min(rows.count, lo + chunk)
                rows.withUnsafeBufferPointer { ids in
                    flyvec_rows_times(matrix, K, ids.baseAddress! + lo, hi - lo, basis, p, out + lo * p, allowVector ? 1 : 0)
                }
            }
        }
    }

    /// The transpose of rows `rows` of `matrix` times `products` (rows × width): units × width,
    /// the units shared among the threads so that every sum runs over the rows in order.
    private static func transposeTimes(_ matrix: UnsafePointer<Float>, units K: Int, rows: [Int64], products: [Float],
                                       width p: Int, threads: Int, allowVector: Bool) -> [Double] {
        var out = [Float](repeating: 0, count: K * p)
        // One range of units per thread: each reads long runs of every row, and the sums of a
        // unit do not depend on how the units are split.
        let parts = max(1, min(threads, K))
        out.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out.baseAddress!
            _ = concurrentMap(parts, threads: threads) { t in
                flyvec_rows_transpose_times(matrix, K, rows, rows.count, products, p, K * t / parts, K * (t + 1) / parts,
                                            out, allowVector ? 1 : 0)
            }
        }
        return out.map { Double($0) }
    }

    /// An orthonormal basis of the columns of `a` (rows × columns, row-major), by modified
    /// Gram–Schmidt twice over; a column that is (nearly) a combination of the ones before becomes 0.
    static func orthonormalColumns(_ a: inout [Double], rows n: Int, columns p: Int) -> [Float] {
        // Worked on column by column, each column's n values together: walking a column of the
        // row-major matrix touched a cache line per value. Every sum keeps its order.
        var columns = [Double](repeating: 0, count: n * p)
        for r in 0..<n { for j in 0..<p { columns[j * n + r] = a[r * p + j] } }
        columns.withUnsafeMutableBufferPointer { c in
            func dot(_ i: Int, _ j: Int) -> Double {
                var s = 0.0
                for r in 0..<n { s += c[i * n + r] * c[j * n + r] }
                return s
            }
            for j in 0..<p {
                let original = dot(j, j).squareRoot()
                for _ in 0..<2 {
                    for i in 0..<j {
                        let d = dot(i, j)
                        for r in 0..<n { c[j * n + r] -= d * c[i * n + r] }
                    }
                }
                let norm = dot(j, j).squareRoot()
                let keep = norm > 1e-9 * original && norm > 0
                for r in 0..<n { c[j * n + r] = keep ? c[j * n + r] / norm : 0 }
            }
        }
        for r in 0..<n { for j in 0..<p { a[r * p + j] = columns[j * n + r] } }
        return a.map { Float($0) }
    }

    /// The eigenvalues (descending) and eigenvectors (the columns of a size × size row-major
    /// matrix, in the same order) of the symmetric matrix `a`, by cyclic Jacobi rotations.
    static func symmetricEigen(_ a: [Double], size n: Int) -> (values: [Double], vectors: [Double]) {
        var a = a
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        let scale = a.reduce(0) { $0 + $1 * $1 }
        for _ in 0..<64 {
            var off = 0.0
            for i in 0..<n { for j in (i + 1)..<max(n, i + 1) { off += a[i * n + j] * a[i * n + j] } }
            if off <= 1e-28 * scale { break }
            for p in 0..<n {
                for q in (p + 1)..<max(n, p + 1) where a[p * n + q] != 0 {
                    let theta = (a[q * n + q] - a[p * n + p]) / (2 * a[p * n + q])
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n {
                        let kp = a[k * n + p], kq = a[k * n + q]
                        a[k * n + p] = c * kp - s * kq
                        a[k * n + q] = s * kp + c * kq
                    }
                    for k in 0..<n {
                        let pk = a[p * n + k], qk = a[q * n + k]
                        a[p * n + k] = c * pk - s * qk
                        a[q * n + k] = s * pk + c * qk
                    }
                    for k in 0..<n {
                        let kp = v[k * n + p], kq = v[k * n + q]
                        v[k * n + p] = c * kp - s * kq
                        v[k * n + q] = s * kp + c * kq
                    }
                }
            }
        }
        let order = (0..<n).sorted { a[$0 * n + $0] > a[$1 * n + $1] || (a[$0 * n + $0] == a[$1 * n + $1] && $0 < $1) }
        var vectors = [Double](repeating: 0, count: n * n)
        for (to, from) in order.enumerated() { for k in 0..<n { vectors[k * n + to] = v[k * n + from] } }
        return (order.map { a[$0 * n + $0] }, vectors)
    }
}
