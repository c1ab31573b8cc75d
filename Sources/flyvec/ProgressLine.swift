import FlyVec
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The progress line of a long command: one `\r`-refreshed line on a terminal, a plain line every few seconds otherwise.
final class ProgressLine {
    let quiet: Bool
    /// The plain bytes a training run reads, when known (for its reading percentage).
    var readingTotal: Int?
    let terminal = isatty(2) != 0
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var last: ContinuousClock.Instant
    private var shown = false

    init(quiet: Bool) {
        self.quiet = quiet
        start = clock.now
        last = clock.now
    }

    var elapsed: Double { (clock.now - start).seconds }

    /// Whether enough time passed to show a new line (0.2 s on a terminal, 5 s otherwise).
    private func due() -> Bool {
        let now = clock.now
        if (now - last).seconds < (terminal ? 0.2 : 5) { return false }
        last = now
        return true
    }

    private func show(_ line: String) {
        if quiet { return }
        if terminal {
            printError("\r\u{1B}[K" + line, terminator: "")
            shown = true
        } else {
            printError(line)
        }
    }

    /// `total`: the plain bytes of the whole input, when known (plain files, not zstd or stdin).
    func reading(bytes: Int, total: Int? = nil) {
        guard due() else { return }
        let mb = Double(bytes) / 1e6
        let percent = total.map { " \(format(100 * Double(bytes) / Double(max($0, 1)), 1))%," } ?? ""
        show("reading:\(percent) \(format(mb, 1)) MB, \(format(mb / max(elapsed, 1e-9), 1)) MB/s")
    }

    /// Making the static codes of `total` words.
    func coding(_ done: Int, of total: Int) {
        guard due() else { return }
        show("codes: \(format(100 * Double(done) / Double(max(total, 1)), 1))% of \(total) words")
    }

    /// For commands whose output is the point (nn, eval, ...): progress only on a terminal.
    static func forQueries() -> ProgressLine { ProgressLine(quiet: isatty(2) == 0) }

    func training(_ p: TrainingProgress) {
        guard due() else { return }
        let done = Double(p.epoch) + Double(p.windowsDone) / Double(max(p.windowsPerEpoch, 1))
        let percent = 100 * done / Double(p.epochs)
        let rate = Double(p.windowsDone) / max(epochElapsed, 1e-9)
        let eta = (Double(p.epochs) - done) * Double(p.windowsPerEpoch) / max(rate, 1e-9)
        show("epoch \(p.epoch + 1)/\(p.epochs) \(format(percent, 1))% windows/s \(Int(rate)) lr \(formatSci(p.learningRate)) energy \(format(p.energy, 5)) ETA \(Int(eta))s")
    }

    private var epochStart: ContinuousClock.Instant?
    private var epochElapsed: Double { epochStart.map { (clock.now - $0).seconds } ?? elapsed }
    func beginEpoch() { epochStart = clock.now }

    /// When the last event that ends a stage of a training run came: the corpus read (or its last
    /// chunk, for a resumed run, which reports no reading summary), an epoch or the profile
    /// finished. The setup and the write are timed from it.
    private var stageEnd: ContinuousClock.Instant?
    private func sinceStageEnd() -> String { format(stageEnd.map { (clock.now - $0).seconds } ?? elapsed, 2) }

    /// The line a training run's event calls for.
    func show(_ event: TrainingRun.Event) {
        defer {
            switch event {
            case .reading, .read, .epochFinished, .madeUsageProfile: stageEnd = clock.now
            default: break
            }
        }
        switch event {
        case .reading(let bytes): reading(bytes: bytes, total: readingTotal)
        case .read(let stats, let vocabulary): line(summary(stats, vocabulary, seconds: elapsed))
        case .resumed(let path, let model):
            line("resuming \(path) after epoch \(model.epochsDone) of \(model.options.epochs)")
        case .started(let o, let windows, let words, let threads):
            line("training: K \(o.hidden), \(words) ids, \(windows) windows of \(o.window), batch \(o.batch), \(o.epochs) epochs, lr \(o.learningRate), \(threads) threads; set up in \(sinceStageEnd()) s")
        case .epochStarted: beginEpoch()
        case .training(let p): training(p)
        case .epochFinished(let r, let epochs, let windows):
            line("epoch \(r.epoch + 1)/\(epochs): energy \(format(r.energy, 6)), \(format(r.seconds, 2)) s, \(Int(Double(windows) / max(r.seconds, 1e-9))) windows/s, \(r.scans) dense scans")
        case .exchanged(let e, let ranks):
            line("exchange: \(ranks) ranks, rank 0 sent \(e.bytesSent / max(e.batches, 1)) bytes a batch, \(format(e.seconds, 2)) s in the exchange, \(format(e.forwardSeconds, 2)) s in its forward passes")
        case .madeUsageProfile(let settings, let seconds):
            line("usage profile: order \(settings.order) over \(settings.window) words, \(format(seconds, 2)) s")
        case .wrote(let path): line("wrote \(path) in \(sinceStageEnd()) s; \(format(elapsed, 1)) s in all")
        }
    }

    /// Removes the refreshed line, if one is shown.
    func clear() {
        if shown { printError("\r\u{1B}[K", terminator: ""); shown = false }
    }

    /// Ends the refreshed line before ordinary output.
    func line(_ text: String) {
        if quiet { return }
        if shown { printError("\r\u{1B}[K", terminator: ""); shown = false }
        printError(text)
    }
}

func printError(_ s: String, terminator: String = "\n") {
    FileHandle.standardError.write(Data((s + terminator).utf8))
}

func format(_ x: Double, _ digits: Int) -> String {
    String(format: "%.\(digits)f", x)
}

func formatSci(_ x: Double) -> String { String(format: "%.3g", x) }

import Foundation
