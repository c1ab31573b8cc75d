/// The processes of one training job, and the collective operations FlyVec trains with across
/// them (data parallelism: every process holds the whole model and a share of the corpus).
///
/// FlyVec's own implementation runs on MPI (`MPICluster` in the `FlyVecMPI` library, which
/// `flyvec train` uses under `mpirun`); the library itself never sees MPI. Every process must make
/// the same calls in the same order, as with MPI's collectives; an error is thrown, never left
/// to hang the others, and the caller then ends the whole job (`abort`).
public protocol Cluster: AnyObject {
    /// This process's number, 0 ..< `size`; rank 0 writes the model and the checkpoints.
    var rank: Int { get }
    /// Processes in the job.
    var size: Int { get }
    /// Every rank's `send` bytes, concatenated in rank order into `receive`: rank r's land at
    /// `displacements[r]`, `counts[r]` of them. Every count is under 2³¹.
    func allGather(_ send: UnsafeRawBufferPointer, into receive: UnsafeMutableRawBufferPointer,
                   counts: [Int], displacements: [Int]) throws
    /// As `allGather`, but only rank 0 receives (the others' `receive` is not touched).
    func gatherToRoot(_ send: UnsafeRawBufferPointer, into receive: UnsafeMutableRawBufferPointer,
                      counts: [Int], displacements: [Int]) throws
    /// Every rank's `values` (as many on every rank), concatenated in rank order.
    func allGather(_ values: [Int64]) throws -> [Int64]
    /// Rank `root`'s `bytes` on every rank (every rank passes a buffer of the same size).
    func broadcast(_ bytes: UnsafeMutableRawBufferPointer, root: Int) throws
    /// Ends every process of the job at once (after an error on this one), with `code`.
    func abort(code: Int32) -> Never
}

extension Cluster {
    /// The sum over ranks of each of `values`.
    public func sum(_ values: [Int]) throws -> [Int] {
        let all = try allGather(values.map(Int64.init))
        var out = [Int](repeating: 0, count: values.count)
        for r in 0..<size { for i in 0..<values.count { out[i] += Int(all[r * values.count + i]) } }
        return out
    }

    /// Whether `flag` is true on any rank.
    public func any(_ flag: Bool) throws -> Bool { try sum([flag ? 1 : 0])[0] > 0 }

    /// Every rank's value of `value`, in rank order.
    public func gather(_ value: Int) throws -> [Int] { try allGather([Int64(value)]).map(Int.init) }

    /// Rank `root`'s byte array on every rank, of any size.
    public func broadcast(_ bytes: [UInt8], root: Int) throws -> [UInt8] {
        var count: [UInt8] = withUnsafeBytes(of: Int64(bytes.count).littleEndian) { Array($0) }
        try count.withUnsafeMutableBytes { try broadcast($0, root: root) }
        let n = Int(count.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }.littleEndian)
        var out = rank == root ? bytes : [UInt8](repeating: 0, count: n)
        try out.withUnsafeMutableBytes { b in
            try Self.inPieces(n) { range in try broadcast(UnsafeMutableRawBufferPointer(rebasing: b[range]), root: root) }
        }
        return out
    }

    /// Every rank's `send`, concatenated in rank order, of any size, on every rank (or on rank 0
    /// only, `toRoot`): each rank's bytes in turn, in pieces of at most 1 GiB, as MPI's counts and
    /// displacements are 32-bit. `receive(total)` gives the buffer (called on every rank).
    /// - Returns: each rank's byte count.
    @discardableResult
    func allGatherLarge(_ send: UnsafeRawBufferPointer, toRoot: Bool = false,
                        receive: (Int) throws -> UnsafeMutableRawBufferPointer) throws -> [Int] {
        let counts = try gather(send.count)
        let out = try receive(counts.reduce(0, +))
        var at = 0
        for r in 0..<size {
            let n = counts[r]
            if r == rank && (!toRoot || rank == 0) && n > 0 {
                (out.baseAddress! + at).copyMemory(from: send.baseAddress!, byteCount: n)
            }
            try Self.inPieces(n) { range in
                if toRoot {
                    guard r != 0 else { return }
                    // Only rank r sends: rank 0 receives straight into place.
                    let part = UnsafeRawBufferPointer(start: r == rank ? send.baseAddress! + range.lowerBound : nil,
                                                      count: r == rank ? range.count : 0)
                    let target = rank == 0 ? UnsafeMutableRawBufferPointer(start: out.baseAddress! + at + range.lowerBound, count: range.count)
                                           : UnsafeMutableRawBufferPointer(start: nil, count: 0)
                    var counts = [Int](repeating: 0, count: size)
                    counts[r] = range.count
                    try gatherToRoot(part, into: target, counts: counts, displacements: [Int](repeating: 0, count: size))
                } else {
                    let target = UnsafeMutableRawBufferPointer(start: out.baseAddress! + at + range.lowerBound, count: range.count)
                    try broadcast(target, root: r)
                }
            }
            at += n
        }
        return counts
    }

    static func inPieces(_ n: Int, _ body: (Range<Int>) throws -> Void) rethrows {
        var lo = 0
        while lo < n {
            let hi = min(n, lo + clusterPiece)
            try body(lo..<hi)
            lo = hi
        }
    }
}

/// The most bytes one rank passes in one collective call: MPI counts are 32-bit.
let clusterPiece = 1 << 30
