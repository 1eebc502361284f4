import Foundation

/// How a claim's result was produced: enough to compare or repeat the run.
public struct RunInfo: Codable, Sendable, Equatable {
    public let seed: UInt64
    public let quick: Bool
    /// `ScoreKitVersion.string` of the program that ran the experiment.
    public let scoreKitVersion: String
    /// Wall-clock seconds of the experiment.
    public let seconds: Double
    /// When the run finished (ISO 8601).
    public let date: String

    public init(seed: UInt64, quick: Bool, scoreKitVersion: String, seconds: Double, date: Date = Date()) {
        self.seed = seed
        self.quick = quick
        self.scoreKitVersion = scoreKitVersion
        self.seconds = seconds
        self.date = ISO8601DateFormatter().string(from: date)
    }
}

/// One claim's `OUT/<id>.json`: the result's keys (`id`, `paper`, `claim`, `criterion`, `verdict`,
/// `numbers`, `keyNumber`, `reading`, `figures`, `config`) and the run's (`seed`, `quick`,
/// `scoreKitVersion`, `seconds`, `date`) side by side at the top level, so the report can be
/// rebuilt from the files alone.
public struct ClaimRecord: Codable, Sendable {
    public let result: ClaimResult
    public let run: RunInfo

    public init(result: ClaimResult, run: RunInfo) {
        self.result = result
        self.run = run
    }

    public init(from decoder: any Decoder) throws {
        result = try ClaimResult(from: decoder)
        run = try RunInfo(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try result.encode(to: encoder)
        try run.encode(to: encoder)
    }

    /// Non-finite numbers are written as the strings "inf", "-inf" and "nan" (JSON has no literal for them).
    static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }

    static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }
}
