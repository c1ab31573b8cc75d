import Foundation
import Testing

/// The library's folders are layers, and a file may use only what its own layer and the layers
/// below declare (docs/ARCHITECTURE.md). One module cannot enforce that, so this test does: it
/// reads the sources, strips comments and string literals, and looks for names declared higher up.
@Suite struct LayeringTests {
    /// Lowest first. `Learning/Usage` is part of `Learning`.
    static let layers = ["Support", "IO", "Cluster", "Corpus", "Windows", "Learning", "Codes", "Search", "Evaluation", "Formats", "Runs"]

    static var sources: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/FlyVec")
    }

    /// Every Swift file of the library, by layer index.
    static func files() throws -> [(layer: Int, path: String, text: String)] {
        let root = sources.path
        let all = try FileManager.default.subpathsOfDirectory(atPath: root).filter { $0.hasSuffix(".swift") }
        return try all.sorted().map { sub in
            let folder = String(sub.split(separator: "/").first!)
            guard let layer = layers.firstIndex(of: folder) else {
                throw LayeringFailure("\(sub) is in no layer: add its folder to LayeringTests.layers")
            }
            return (layer, sub, try String(contentsOfFile: root + "/" + sub, encoding: .utf8))
        }
    }

    struct LayeringFailure: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    /// The code without comments and string literals (which may name anything).
    static func code(_ text: String) -> String {
        var out = "", chars = Array(text), i = 0
        while i < chars.count {
            let c = chars[i], next: Character? = i + 1 < chars.count ? chars[i + 1] : nil
            if c == "/" && next == "/" {
                while i < chars.count && chars[i] != "\n" { i += 1 }
            } else if c == "/" && next == "*" {
                i += 2
                while i + 1 < chars.count && !(chars[i] == "*" && chars[i + 1] == "/") { i += 1 }
                i += 2
            } else if c == "\"" {
                let triple = i + 2 < chars.count && chars[i + 1] == "\"" && chars[i + 2] == "\""
                i += triple ? 3 : 1
                while i < chars.count {
                    if chars[i] == "\\" && i + 1 < chars.count && chars[i + 1] == "(" {
                        // An interpolation is code: kept, up to its closing parenthesis.
                        var depth = 0
                        i += 1
                        repeat {
                            if chars[i] == "(" { depth += 1 } else if chars[i] == ")" { depth -= 1 }
                            out.append(chars[i])
                            i += 1
                        } while i < chars.count && depth > 0
                        out.append(" ")
                        continue
                    }
                    if chars[i] == "\\" { i += 2; continue }
                    if triple ? (i + 2 < chars.count && chars[i] == "\"" && chars[i + 1] == "\"" && chars[i + 2] == "\"") : (chars[i] == "\"" || chars[i] == "\n") { break }
                    i += 1
                }
                i += triple ? 3 : 1
                out += "\"\""
            } else {
                out.append(c)
                i += 1
            }
        }
        return out
    }

    /// The top-level types and functions a file declares.
    static func declarations(_ code: String) -> Set<String> {
        var names: Set<String> = []
        let pattern = #"(?m)^(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|internal|package|final|private|fileprivate|nonisolated\(unsafe\))\s+)*(?:struct|class|enum|protocol|actor|typealias|func|let|var)\s+([A-Za-z_][A-Za-z0-9_]*)"#
        let regex = try! NSRegularExpression(pattern: pattern)
        let ns = code as NSString
        for m in regex.matches(in: code, range: NSRange(location: 0, length: ns.length)) {
            names.insert(ns.substring(with: m.range(at: 1)))
        }
        return names
    }

    static func identifiers(_ code: String) -> Set<String> {
        var names: Set<String> = [], current = ""
        for c in code {
            if c.isLetter || c.isNumber || c == "_" { current.append(c) } else if !current.isEmpty { names.insert(current); current = "" }
        }
        if !current.isEmpty { names.insert(current) }
        return names
    }

    @Test func everyFileUsesOnlyItsLayerAndTheLayersBelow() throws {
        let files = try Self.files()
        #expect(files.count > 30, "the sources were not found at \(Self.sources.path)")
        var declaredAt: [String: (layer: Int, path: String)] = [:]
        for f in files {
            for name in Self.declarations(Self.code(f.text)) { declaredAt[name] = (f.layer, f.path) }
        }
        // The check itself: names every layer is known to declare.
        #expect(declaredAt["Trainer"]?.layer == Self.layers.firstIndex(of: "Learning"))
        #expect(declaredAt["concurrently"]?.layer == 0)
        var upward: [String] = []
        for f in files {
            for name in Self.identifiers(Self.code(f.text)) {
                if let d = declaredAt[name], d.layer > f.layer {
                    upward.append("\(f.path) uses \(name) from \(d.path)")
                }
            }
        }
        #expect(upward.isEmpty, "imports that run upward:\n\(upward.sorted().joined(separator: "\n"))")
    }

    /// The checker finds an upward use when there is one (so the test above can fail).
    @Test func theCheckerSeesAnUpwardUse() {
        let low = Self.code("/// Mentions Trainer in a comment.\nlet s = \"Trainer\"\nfunc f() { }\n")
        #expect(!Self.identifiers(low).contains("Trainer"))
        let uses = Self.code("func g() { let t = Trainer.self }")
        #expect(Self.identifiers(uses).contains("Trainer"))
        #expect(Self.declarations("public final class Trainer {\n}\nfunc concurrently() {}\n@inline(__always) func _pow() {}\nlet table = 1")
                == ["Trainer", "concurrently", "_pow", "table"])
        // Names used inside a string interpolation are uses too.
        #expect(Self.identifiers(Self.code(#"let s = "K \(Trainer.units) units""#)).contains("Trainer"))
    }
}
