// swift-tools-version:6.0
// The benchmark harness: its own package, so `swift test` and CI never build it.
import PackageDescription

let package = Package(
    name: "FlyVecBenchmarks",
    dependencies: [.package(name: "FlyVec", path: "../")],
    targets: [
        .executableTarget(name: "flyvec-bench", dependencies: [.product(name: "FlyVec", package: "FlyVec")]),
    ]
)
