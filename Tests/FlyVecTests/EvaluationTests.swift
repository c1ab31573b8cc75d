import Testing
import FlyVec

@Suite struct EvaluationTests {
    @Test func averageRanksOfTies() {
        #expect(Correlation.averageRanks([10, 20, 20, 30]) == [1, 2.5, 2.5, 4])
        #expect(Correlation.averageRanks([5, 5, 5]) == [2, 2, 2])
    }

    @Test func spearmanWorkedByHand() {
        // Perfect monotone: 1; reversed: −1.
        #expect(Correlation.spearman([1, 2, 3, 4], [10, 20, 30, 100]) == 1)
        #expect(Correlation.spearman([1, 2, 3, 4], [4, 3, 2, 1]) == -1)
        // x ranks 1 2 3 4 5, y ranks 2 1 4 3 5: Σd² = 4, no ties: 1 − 6·4 / (5·24) = 0.8.
        #expect(abs(Correlation.spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]) - 0.8) < 1e-12)
        // With ties: x = [1, 2, 2, 3] → ranks 1 2.5 2.5 4; y = [1, 2, 3, 4] → 1 2 3 4.
        // Pearson of the ranks: cov = (−1.5)(−1.5) + 0 + 0 + (1.5)(1.5) = 4.5;
        // var x = 2.25 + 0 + 0 + 2.25 = 4.5; var y = 2.25 + 0.25 + 0.25 + 2.25 = 5 → 4.5 / √(4.5·5).
        #expect(abs(Correlation.spearman([1, 2, 2, 3], [1, 2, 3, 4]) - 4.5 / (4.5 * 5.0).squareRoot()) < 1e-12)
    }

    @Test func wordSimilarityCountsOOV() {
        let pairs = WordPairs(name: "t", pairs: [
            .init(first: "a", second: "b", score: 1), .init(first: "a", second: "c", score: 2),
            .init(first: "b", second: "c", score: 3), .init(first: "a", second: "zz", score: 4),
        ])
        let sims = ["ab": 0.1, "ac": 0.5, "bc": 0.9]
        let r = WordSimilarityResult(pairs) { sims[$0 + $1] }
        #expect(r.used == 3)
        #expect(r.outOfVocabulary.map(\.second) == ["zz"])
        #expect(r.spearman == 1)
    }
}
