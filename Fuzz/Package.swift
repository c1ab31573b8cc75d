// swift-tools-version:6.0
// libFuzzer targets for the file loaders and the corpus reader: its own package, built only by
// `make fuzz` (with -sanitize=fuzzer,address), never by tests or CI.
import PackageDescription

let package = Package(
    name: "FlyVecFuzz",
    dependencies: [.package(name: "FlyVec", path: "../")],
    targets: [.target(name: "FuzzSupport")] + ["fuzz-codefile", "fuzz-modelfile", "fuzz-corpus", "fuzz-modelpayload", "fuzz-codepayload", "fuzz-indexpayload"].map {
        .executableTarget(name: $0, dependencies: ["FuzzSupport", .product(name: "FlyVec", package: "FlyVec")],
                          swiftSettings: [.unsafeFlags(["-parse-as-library"])])
    }
)
