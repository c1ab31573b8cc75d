@_spi(Testing) import FlyVec
import Testing

/// The co-occurrence rows' sort against the standard library's, on both of its paths (short rows
/// and the passes a byte at a time), for id ranges of one to three bytes, with repeated ids.
@Suite struct SortIdsTests {
    @Test(arguments: [1, 2, 255, 256, 20_001, 65_536, 65_537, 3_000_000])
    func sortsAsTheStandardLibraryDoes(below: Int) {
        var rng = SplitMix64(seed: UInt64(below))
        var scratch: [Int32] = []
        for count in [0, 1, 63, 64, 65, 300, 5_000] {
            var ids = (0..<count).map { _ in Int32(rng.next(below: UInt64(below))) }
            let expected = ids.sorted()
            sortIds(&ids, below: below, scratch: &scratch)
            #expect(ids == expected, "\(count) ids under \(below)")
        }
    }
}
