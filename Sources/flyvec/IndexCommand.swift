import ArgumentParser
import FlyVec
import Foundation

extension DocumentWeighting: ExpressibleByArgument {}

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Code a collection of documents for 'flyvec search'.",
        discussion: """
            A document's code is the top k of the summed read-out vectors of its words (those the words' \
            static codes are the top k of). Documents are lines (empty ones skipped) or, \
            with --per-file, whole files; a document with no word the model knows has no code and is left \
            out, and the count is reported. The index records the model's path: 'flyvec search' reads the \
            model from there unless given --model.
            """)

    @Argument(help: "The model (.flyvec).")
    var model: String

    @Argument(help: "Document files, plain UTF-8 or zstd; '-' reads standard input.")
    var documents: [String]

    @Option(name: .shortAndLong, help: "The index to write (.flyindex).")
    var output: String

    @Option(name: .short, help: "Active bits per document code (at most 255). [default: 48 for the usage read-out of K 2048 (1.5 times K/16 under K 512), 24 for the others]")
    var k: Int?

    @Option(help: "Active bits of the words' codes (as 'flyvec codes -k'), recorded in the index. [default: as 'flyvec codes']")
    var wordK: Int?

    @Option(help: "The words' read-out (as 'flyvec codes --readout'). [default: usage when the model stores a profile, else sum]")
    var readout: Readout?

    @Option(help: "How much each occurrence weighs: uniform, or sif (smooth inverse frequency, measured worse on package descriptions).")
    var weighting = DocumentWeighting.uniform

    @Flag(help: "One document a file, not a line.")
    var perFile = false

    @Flag(help: "Each line starts with the document's id and a tab (default id: FILE:LINE).")
    var ids = false

    @Option(help: "Characters of each document kept for display.")
    var snippet = 80

    @Option(help: "Threads that code documents. [default: every core]")
    var threads: Int?

    @Flag(help: "No progress line.")
    var quiet = false

    func validate() throws {
        if documents.isEmpty { throw ValidationError("name at least one document file") }
        if let k, k > 255 { throw ValidationError("-k must be at most 255 for an index (got \(k))") }
        if snippet < 0 { throw ValidationError("--snippet must be zero or more (got \(snippet))") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1 (got \(threads))") }
        if perFile && ids { throw ValidationError("--ids reads an id before each line's tab: it does not go with --per-file") }
    }

    func run() throws {
        try reportingErrors("index") {
            let progress = ProgressLine(quiet: quiet)
            let m = try ModelFile.read(model)
            let words = try WordHasher(model: m, k: wordK, readout: readout)
            let hasher = try DocumentHasher(words: words, k: k, weighting: weighting)
            let path = URL(fileURLWithPath: model).standardizedFileURL.path
            let settings = DocumentIndex.Settings(hasher: hasher, model: path, fingerprint: ModelFile.fingerprint(of: m))
            let reader = DocumentReader(files: documents, unit: perFile ? .file : .line, idsBeforeTab: ids)
            let total = ByteSource.plainSize(of: documents)
            let summary = try DocumentIndexing.build(
                hasher: hasher, settings: settings, reader: reader, snippetLength: snippet, to: output,
                threads: threads ?? ProcessInfo.processInfo.activeProcessorCount) { progress.reading(bytes: $0, total: total) }
            if summary.withoutKnownWord > 0 {
                progress.line("\(summary.withoutKnownWord) documents have no word the model knows and no code (the first: \(summary.firstWithoutKnownWord!))")
            }
            progress.line("indexed \(summary.indexed) documents (\(summary.empty) empty skipped): \(hasher.k) of \(settings.bits) bits, \(hasher.words.readout.rawValue) read-out, \(weighting.rawValue) weighting; wrote \(output) in \(format(progress.elapsed, 1)) s")
        }
    }
}
