extension Trainer {
    /// The window starts in epoch `epoch`'s order, shuffled in place in the trainer's one buffer of
    /// starts (replaying earlier epochs' shuffles when it jumps, as on resume).
    func orderOfEpoch(_ epoch: Int) throws -> UnsafeMutableBufferPointer<UInt32> {
        if orderEpoch != epoch - 1 || order.count != windowCount {
            order = IdBuffer(spillBytes: spillBytes, directory: spillDirectory)
            if let share { try share.fillStarts(order, windows: windows) } else { windows.fillStarts(order) }
            try order.check()
            for e in 0..<epoch { Windows.shuffle(order.buffer, seed: options.seed, epoch: e) }
        }
        Windows.shuffle(order.buffer, seed: options.seed, epoch: epoch)
        orderEpoch = epoch
        return order.buffer
    }

    /// Trains epoch `epoch` (0-based): a seeded shuffle, minibatches, then the scales folded into
    /// the synapses so that the state at an epoch boundary is the plain matrix W.
    /// - Returns: nil when `shouldStop` said so between two batches (the synapses are then mid-epoch).
    /// - Throws: `FlyVecError.Kind.outOfSpace` when the window starts do not fit in memory or `TMPDIR`.
    public func trainEpoch(_ epoch: Int, progress: ((TrainingProgress) -> Void)? = nil,
                           shouldStop: () -> Bool = { false }) throws -> EpochResult? {
        let clock = ContinuousClock()
        let began = clock.now
        let order = try orderOfEpoch(epoch)
        let rate = options.learningRate(epoch: epoch)
        var energy = 0.0
        var scans = 0
        var stopped = false
        do {
            let all = UnsafeBufferPointer(order)
            var lo = 0
            while lo < all.count {
                // Every rank stops at the same batch, or the others would wait for it forever.
                if try share?.cluster.any(shouldStop()) ?? shouldStop() { stopped = true; break }
                let hi = min(lo + options.batch, all.count)
                let r = try trainBatch(UnsafeBufferPointer(rebasing: all[lo..<hi]), learningRate: Float(rate))
                energy += r.energy
                if r.scanned { scans += 1 }
                lo = hi
                progress?(TrainingProgress(epoch: epoch, epochs: options.epochs, windowsDone: lo,
                                           windowsPerEpoch: all.count, learningRate: rate,
                                           energy: energy / Double(lo)))
            }
        }
        if stopped { return nil }
        fold(refreshingBounds: false)
        return EpochResult(epoch: epoch, energy: energy / Double(max(order.count, 1)), seconds: (clock.now - began).seconds, scans: scans)
    }

    /// Forward pass only (winners and drives, no update) over `count` windows: the speed ceiling of
    /// the trainer's kernel, for benchmarks.
    public func forwardOnly(count: Int) throws {
        let all = UnsafeBufferPointer(try orderOfEpoch(0))
        do {
            var lo = 0
            while lo < min(count, all.count) {
                let hi = min(lo + options.batch, all.count, count)
                forwardBatch(UnsafeBufferPointer(rebasing: all[lo..<hi]))
                lo = hi
            }
        }
    }
}
