/// The trainer's working memory for one batch, sized by the batch, K and the thread count, and
/// freed with it: its only owner is the `Trainer`.
struct TrainerScratch: ~Copyable {
    /// Per sample: the winner and runner-up units, their weighted drives and the energy term.
    let winners: UnsafeMutablePointer<Int32>
    let runners: UnsafeMutablePointer<Int32>
    let drives: UnsafeMutablePointer<Float>
    let runnerDrives: UnsafeMutablePointer<Float>
    let energies: UnsafeMutablePointer<Double>
    /// threads × `chunk` × window: the input rows of the samples a thread searches together.
    let rows: UnsafeMutablePointer<Int32>
    /// threads × `chunk`: those samples' row counts and the slack of their block bounds.
    let rowCounts: UnsafeMutablePointer<Int32>
    let slack: UnsafeMutablePointer<Float>
    /// Samples whose winners a thread searches in one call (flyvec_bounded_winners).
    static let chunk = 64
    /// threads × stride: each thread's drive of every unit.
    let drive: UnsafeMutablePointer<Float>
    /// One Hebbian table per thread, for the rows it owns.
    let tables: UnsafeMutablePointer<HebbianTable>
    let threads: Int
    /// threads × stride: per thread and unit, the largest |U| it changed, that row, and the largest
    /// other |U| it changed.
    let partialMax: UnsafeMutablePointer<Float>
    let partialLeader: UnsafeMutablePointer<Int32>
    let partialSecond: UnsafeMutablePointer<Float>
    /// Per unit, the bound of |U| for rows without a Hebbian entry.
    let effectiveBound: UnsafeMutablePointer<Float>
    /// threads × stride: per thread and unit, the change of Σ U².
    let partialSquares: UnsafeMutablePointer<Double>
    /// Per unit: Σ of the winners' drives (xx), and ‖W_μ‖.
    let xx: UnsafeMutablePointer<Float>
    let norms: UnsafeMutablePointer<Float>
    /// Hebbian entries (`HebbianTable.key`, `Trainer.runnerFlag` set for the anti-Hebbian ones)
    /// filed in phase A: region `a * threads + o` holds those of phase-A thread a for rows owned by
    /// thread o, `entryCapacity` each.
    let entries: UnsafeMutablePointer<UInt64>
    let entryCapacity: Int
    /// Entries per region, 8 apart so that two threads never write one cache line.
    let entryCounts: UnsafeMutablePointer<Int>

    init(batch: Int, width: Int, stride k: Int, threads: Int, antiHebbian: Bool) {
        self.threads = threads
        winners = .allocate(capacity: batch)
        runners = .allocate(capacity: batch)
        drives = .allocate(capacity: batch)
        runnerDrives = .allocate(capacity: batch)
        energies = .allocate(capacity: batch)
        rows = .allocate(capacity: threads * Self.chunk * width)
        rowCounts = .allocate(capacity: threads * Self.chunk)
        slack = .allocate(capacity: threads * Self.chunk)
        drive = .allocate(capacity: threads * k)
        // A quarter of an even share of the batch's entries: tables grow to what batches need in the
        // first few (and small test batches exercise the growing).
        let tableEntries = batch * width * (antiHebbian ? 2 : 1) / threads / 4
        tables = .allocate(capacity: threads)
        for t in 0..<threads { (tables + t).initialize(to: HebbianTable(entries: tableEntries)) }
        partialMax = .allocate(capacity: threads * k)
        partialLeader = .allocate(capacity: threads * k)
        partialSecond = .allocate(capacity: threads * k)
        effectiveBound = .allocate(capacity: k)
        effectiveBound.initialize(repeating: 0, count: k)
        partialSquares = .allocate(capacity: threads * k)
        xx = .allocate(capacity: k)
        norms = .allocate(capacity: k)
        entryCapacity = (batch / threads + 1) * width * (antiHebbian ? 2 : 1)
        entries = .allocate(capacity: threads * threads * entryCapacity)
        entryCounts = .allocate(capacity: threads * threads * 8)
        entryCounts.initialize(repeating: 0, count: threads * threads * 8)
    }

    deinit {
        winners.deallocate(); runners.deallocate(); drives.deallocate(); runnerDrives.deallocate()
        energies.deallocate(); rows.deallocate(); rowCounts.deallocate(); slack.deallocate(); drive.deallocate()
        tables.deinitialize(count: threads)
        tables.deallocate()
        partialMax.deallocate(); partialLeader.deallocate(); partialSecond.deallocate()
        effectiveBound.deallocate(); partialSquares.deallocate(); xx.deallocate(); norms.deallocate()
        entries.deallocate(); entryCounts.deallocate()
    }
}
