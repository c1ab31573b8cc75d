/// Correlations of word-similarity evaluation.
public enum Correlation {
    /// The Spearman rank correlation of two equally long samples, ties given their average rank.
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "samples of \(x.count) and \(y.count) values")
        return pearson(averageRanks(x), averageRanks(y))
    }

    /// Ranks 1…n, tied values sharing the mean of the ranks they span.
    public static func averageRanks(_ v: [Double]) -> [Double] {
        let order = v.indices.sorted { v[$0] < v[$1] }
        var ranks = [Double](repeating: 0, count: v.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && v[order[j + 1]] == v[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for t in i...j { ranks[order[t]] = rank }
            i = j + 1
        }
        return ranks
    }

    /// The Pearson correlation; 0 when either sample is constant.
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        let n = Double(x.count)
        guard n > 1 else { return 0 }
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in x.indices {
            sxy += (x[i] - mx) * (y[i] - my)
            sxx += (x[i] - mx) * (x[i] - mx)
            syy += (y[i] - my) * (y[i] - my)
        }
        return sxx == 0 || syy == 0 ? 0 : sxy / (sxx * syy).squareRoot()
    }
}
