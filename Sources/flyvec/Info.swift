import ArgumentParser
import FlyVec
import Foundation

struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Describe a model or a code file.")

    @Argument(help: "A model (.flyvec) or a code file (.flycodes).")
    var file: String

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        try reportingErrors("info") {
            switch try FlyVecFile.read(file) {
            case .model(let m, let version):
                let o = m.options
                let readout = CodeDefaults.readout(for: m)
                if json {
                    var out = JSONOutput.Info(kind: "model", version: version)
                    out.model = JSONOutput.Info.ModelPart(
                        words: m.vocabulary.count - 2, stopWords: m.vocabulary.stopWords.count, options: o,
                        epochsDone: m.epochsDone, history: m.history, usageProfile: m.usage?.settings,
                        defaultReadout: readout.rawValue, defaultK: CodeDefaults.k(for: readout, model: m))
                    try printJSON(out)
                    return
                }
                print("FlyVec model, format version \(version)")
                print("vocabulary   \(m.vocabulary.count) ids (\(m.vocabulary.count - 2) words + <UNK>, <NUM>), \(m.vocabulary.stopWords.count) stop words")
                print("hidden units \(o.hidden); window \(o.window); batch \(o.batch); lr \(o.learningRate); sigma \(o.sigma); seed \(o.seed); p \(o.p); delta \(o.delta); f = count^-\(o.frequencyPower)")
                print("epochs       \(m.epochsDone) of \(o.epochs)\(m.isComplete ? "" : " (a checkpoint)")")
                for e in m.history { print("  epoch \(e.epoch + 1): energy \(String(format: "%.6f", e.energy)), \(String(format: "%.2f", e.seconds)) s") }
                if let u = m.usage?.settings {
                    print("usage        stored profile: order \(u.order) over \(u.window) words, \(u.method.rawValue), \(u.weighting == .logRatio ? "log-ratio weights at order 2, stop words as contexts" : "weights count^-\(u.power)"), \(u.directions ?? 0) strongest directions removed (codes default to it, k \(CodeDefaults.k(for: .usage, model: m)))")
                }
            case .codes(let b, let version):
                let stored = CodeFile.storedBits(bits: b.bits, k: b.k, version: version)
                if json {
                    var out = JSONOutput.Info(kind: "codes", version: version)
                    out.codes = JSONOutput.Info.CodesPart(words: b.count, bits: b.bits, k: b.k, readout: b.readout.rawValue, storedBits: stored)
                    try printJSON(out)
                    return
                }
                print("FlyVec code file, format version \(version)")
                print("codes        \(b.count) words, \(b.bits) bits, \(b.k) active, \(b.readout.rawValue) read-out, stored in \(stored) bits a code")
            }
        }
    }
}
