// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "FlyVec",
    products: [
        .library(name: "FlyVec", targets: ["FlyVec"]),
        .executable(name: "flyvec", targets: ["flyvec"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // `swift package generate-documentation` (DocC); no code of it is linked.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]
        ),
        // Open MPI's C interface, for training across processes (`mpirun -np N flyvec train`):
        // the only target that sees MPI's headers.
        .systemLibrary(
            name: "CMPI",
            pkgConfig: "ompi-c",
            providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]
        ),
        .target(name: "CFlyVecSupport"),
        .target(
            name: "FlyVec",
            dependencies: ["CZstd", "CFlyVecSupport"]
        ),
        .target(name: "FlyVecMPI", dependencies: ["FlyVec", "CMPI"]),
        .executableTarget(
            name: "flyvec",
            dependencies: [
                "FlyVec",
                "FlyVecMPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "flyvec-example", dependencies: ["FlyVec"], path: "Examples/neighbours"),
        // The C kernels are tested directly too: each path beside an independent conversion.
        .testTarget(name: "FlyVecTests", dependencies: ["FlyVec", "CFlyVecSupport"]),
        .testTarget(name: "CLITests", dependencies: ["FlyVec"]),
    ]
)
