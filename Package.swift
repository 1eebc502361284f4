// swift-tools-version:6.0
import PackageDescription

// Layers (DESIGN.md): Numerics → IO → Diffusion → Denoisers → Samplers → … → CLI.
// Each layer is its own module so that a lower layer cannot import a higher one.
let blas: [Target.Dependency] = [
    .target(name: "COpenBLAS", condition: .when(platforms: [.linux])),
]

let package = Package(
    name: "ScoreKit",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "ScoreKit", targets: ["ScoreKit"]),
        .executable(name: "scorekit", targets: ["scorekit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenBLAS", path: "Sources/COpenBLAS",
            pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .target(name: "CScoreKitKernels", path: "Sources/CScoreKitKernels"),
        .target(
            name: "ScoreKitNumerics",
            dependencies: blas + [
                "CScoreKitKernels",
                .product(name: "RealModule", package: "swift-numerics"),
            ]),
        .target(
            name: "ScoreKitIO",
            dependencies: ["ScoreKitNumerics", "ZIPFoundation"],
            exclude: ["Resources/README.md"],
            resources: [.copy("Resources/digits.csv.gz")]),
        .target(name: "ScoreKitDiffusion", dependencies: ["ScoreKitNumerics"]),
        .target(name: "ScoreKitDenoisers", dependencies: ["ScoreKitDiffusion", "ScoreKitNumerics", "ScoreKitIO"]),
        .target(name: "ScoreKitNN", dependencies: ["ScoreKitNumerics"]),
        .target(name: "ScoreKitMetrics", dependencies: ["ScoreKitNumerics"]),
        .target(name: "ScoreKitTraining", dependencies: ["ScoreKitNN", "ScoreKitDiffusion", "ScoreKitIO"]),
        .target(name: "ScoreKitSamplers", dependencies: ["ScoreKitDiffusion", "ScoreKitDenoisers"]),
        .target(
            name: "ScoreKitAnalysis",
            dependencies: ["ScoreKitSamplers", "ScoreKitDenoisers", "ScoreKitMetrics", "ScoreKitIO"],
            resources: [.copy("Resources/digit_classifier.safetensors")]),
        .target(name: "ScoreKitExperiments", dependencies: ["ScoreKitAnalysis", "ScoreKitTraining"]),
        .target(name: "ScoreKitTestSupport", dependencies: ["ScoreKitNumerics"], path: "Tests/Support"),
        .target(
            name: "ScoreKit",
            dependencies: ["ScoreKitNumerics", "ScoreKitIO", "ScoreKitDiffusion", "ScoreKitDenoisers", "ScoreKitSamplers", "ScoreKitNN", "ScoreKitMetrics", "ScoreKitAnalysis", "ScoreKitTraining", "ScoreKitExperiments"]),
        .target(
            name: "ScoreKitCLI",
            dependencies: [
                "ScoreKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(name: "scorekit", dependencies: ["ScoreKitCLI"]),
        .executableTarget(name: "ScoreKitBench", dependencies: ["ScoreKit"]),
        .testTarget(name: "NumericsTests", dependencies: ["ScoreKitTestSupport", "ScoreKitNumerics"]),
        .testTarget(name: "CLITests", dependencies: ["ScoreKitCLI"]),
        .testTarget(name: "NNTests", dependencies: ["ScoreKitTestSupport", "ScoreKitNN"]),
        .testTarget(name: "MetricsTests", dependencies: ["ScoreKitTestSupport", "ScoreKitMetrics"]),
        .testTarget(name: "AnalysisTests", dependencies: ["ScoreKitAnalysis"]),
        .testTarget(name: "TrainingTests", dependencies: ["ScoreKitTraining"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["ScoreKitExperiments"]),
        .testTarget(
            name: "PropertyTests",
            dependencies: ["ScoreKit", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(
            name: "DiffusionTests", dependencies: ["ScoreKitDiffusion"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "DenoisersTests", dependencies: ["ScoreKitTestSupport", "ScoreKitDenoisers"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "SamplersTests", dependencies: ["ScoreKitTestSupport", "ScoreKitSamplers", "ScoreKitIO"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "IOTests", dependencies: ["ScoreKitIO", "ZIPFoundation"],
            resources: [.copy("Fixtures")]),
    ],
    swiftLanguageModes: [.v6]
)
