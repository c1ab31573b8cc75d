import CMPI
import FlyVec
import Foundation

/// A `Cluster` over MPI's world communicator: the processes `mpirun` started.
///
/// Every MPI call is made from the thread that joined (MPI_THREAD_FUNNELED). An MPI error is
/// thrown as a `FlyVecError`; a rank that dies makes `mpirun` end the job.
public final class MPICluster: Cluster {
    public let rank: Int
    public let size: Int

    /// The job this process belongs to when `mpirun` (Open MPI) started it, nil otherwise: a
    /// process started on its own never calls MPI.
    public static func joinIfLaunched() throws -> MPICluster? {
        let environment = ProcessInfo.processInfo.environment
        guard environment["OMPI_COMM_WORLD_SIZE"] != nil || environment["PMIX_RANK"] != nil else { return nil }
        return try MPICluster()
    }

    private init() throws {
        var rank: Int32 = 0, size: Int32 = 0
        try Self.check(flyvec_mpi_init(&rank, &size), "MPI_Init_thread")
        self.rank = Int(rank)
        self.size = Int(size)
    }

    /// Ends MPI for this process, once every rank has come to its end: a rank done early sleeps
    /// until then, leaving its core to rank 0 (which makes the usage profile and writes the model).
    public func finish() {
        _ = flyvec_mpi_sleeping_barrier()
        _ = flyvec_mpi_finalize()
    }

    public func allGather(_ send: UnsafeRawBufferPointer, into receive: UnsafeMutableRawBufferPointer,
                          counts: [Int], displacements: [Int]) throws {
        let c = counts.map { Int32($0) }, d = displacements.map { Int32($0) }
        try Self.check(flyvec_mpi_allgatherv(send.baseAddress, Int32(send.count), receive.baseAddress, c, d), "MPI_Allgatherv")
    }

    public func gatherToRoot(_ send: UnsafeRawBufferPointer, into receive: UnsafeMutableRawBufferPointer,
                             counts: [Int], displacements: [Int]) throws {
        let c = counts.map { Int32($0) }, d = displacements.map { Int32($0) }
        try Self.check(flyvec_mpi_gatherv(send.baseAddress, Int32(send.count), receive.baseAddress, c, d), "MPI_Gatherv")
    }

    public func allGather(_ values: [Int64]) throws -> [Int64] {
        var out = [Int64](repeating: 0, count: values.count * size)
        try Self.check(flyvec_mpi_allgather_int64(values, &out, Int32(values.count)), "MPI_Allgather")
        return out
    }

    public func broadcast(_ bytes: UnsafeMutableRawBufferPointer, root: Int) throws {
        try Self.check(flyvec_mpi_bcast(bytes.baseAddress, Int32(bytes.count), Int32(root)), "MPI_Bcast")
    }

    public func abort(code: Int32) -> Never {
        flyvec_mpi_abort(code)
        exit(code)
    }

    private static func check(_ code: Int32, _ call: String) throws {
        guard code != 0 else { return }
        var text = [CChar](repeating: 0, count: 512)
        flyvec_mpi_error_string(code, &text, Int32(text.count))
        let message = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        throw FlyVecError(.clusterFailed, "\(call) failed: \(message) (is a process of the job gone?)")
    }
}
