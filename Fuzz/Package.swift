// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for ScoreKit's file parsers (issue 9). Build and run with scripts/fuzz.sh,
// which passes `--sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address` (see there why both):
// every Swift module, ScoreKitIO included, is then coverage-instrumented and checked by
// AddressSanitizer, and libFuzzer supplies `main`. Each executable defines only
// `LLVMFuzzerTestOneInput`, hence `-parse-as-library`.
let harness: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

func fuzzTarget(_ name: String) -> Target {
    .executableTarget(name: name, dependencies: ["FuzzSupport"], swiftSettings: harness)
}

let package = Package(
    name: "ScoreKitFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "ScoreKit", path: "..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [.product(name: "ScoreKit", package: "ScoreKit")]),
        fuzzTarget("fuzz-npy"),
        fuzzTarget("fuzz-npz"),
        fuzzTarget("fuzz-safetensors"),
        fuzzTarget("fuzz-csv"),
        fuzzTarget("fuzz-gzip"),
        fuzzTarget("fuzz-config"),
        fuzzTarget("fuzz-modelfile"),
    ],
    swiftLanguageModes: [.v6]
)
