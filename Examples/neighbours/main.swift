// Loads a code file (or a model) with the FlyVec library and queries it: the README's example.
// Run: swift run -c release flyvec-example out/kjv.flycodes king
import FlyVec

let args = CommandLine.arguments
guard args.count >= 3 else {
    print("usage: flyvec-example CODES.flycodes WORD [WORD…]")
    exit(2)
}
do {
    let codes = try CodeFile.read(args[1])
    for word in args.dropFirst(2) {
        guard let code = codes.code(for: word) else {
            print("\(word): not in the vocabulary")
            continue
        }
        print("\(word): active units \(code.activeBits.prefix(8))…")
        for match in codes.nearest(to: word, count: 5) ?? [] {
            print("  \(match.word) \(match.similarity)")
        }
    }
} catch {
    print("error: \(error)")
    exit(1)
}

#if canImport(Glibc)
import Glibc
#endif
