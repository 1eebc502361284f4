import Foundation
@_exported import ScoreKitAnalysis
@_exported import ScoreKitTraining

/// The outcome of checking a paper's claim at this scale. A claim that does not hold here is a
/// valid, reported result; criteria are fixed before running and never tuned to pass.
public enum Verdict: String, Codable, Sendable, CaseIterable {
    case holds
    case partlyHolds = "partly holds"
    case doesNotHold = "does not hold"
}

/// The four papers ScoreKit reproduces (papers.md §1–§4).
public enum Paper: String, Codable, Sendable, CaseIterable {
    case kim = "Kim (2026): dynamics of multiplicative noise conditioning"
    case chen = "Chen et al.: a geometric perspective on diffusion models (+ GITS)"
    case wangHeTao = "Wang, He & Tao: the design space of diffusion models"
    case wangVastola = "Wang & Vastola: Gaussian score approximation and teleportation"
}

/// How an experiment runs: `quick` is the reduced size (the whole suite in minutes), otherwise the
/// sizes of the plan in papers.md.
public struct ExperimentContext: Sendable {
    public let quick: Bool
    public let seed: UInt64
    /// Where trained models are cached and reused between runs.
    public let cacheFolder: URL
    /// Reports progress as (done, total) units of the experiment's own choosing.
    public let progress: @Sendable (Int, Int) -> Void

    public init(quick: Bool, seed: UInt64, cacheFolder: URL, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) {
        self.quick = quick
        self.seed = seed
        self.cacheFolder = cacheFolder
        self.progress = progress
    }
}

/// What a run of one claim produced: the measured numbers, the verdict under the stated criterion, a
/// one-paragraph reading, and figures as data (the report renders them).
public struct ClaimResult: Codable, Sendable {
    public let id: String
    public let paper: Paper
    public let claim: String
    public let criterion: String
    public let verdict: Verdict
    /// Named measurements behind the verdict (the "key number" is `keyNumber`).
    public let numbers: [String: Double]
    public let keyNumber: String
    public let reading: String
    public let figures: [Figure]
    /// The experiment's settings as given (sizes, seeds, samplers…), for comparing runs.
    public let config: [String: String]

    public init(id: String, paper: Paper, claim: String, criterion: String, verdict: Verdict, numbers: [String: Double],
                keyNumber: String, reading: String, figures: [Figure] = [], config: [String: String] = [:]) {
        self.id = id
        self.paper = paper
        self.claim = claim
        self.criterion = criterion
        self.verdict = verdict
        self.numbers = numbers
        self.keyNumber = keyNumber
        self.reading = reading
        self.figures = figures
        self.config = config
    }
}

/// One paper claim (papers.md §1.5, §2.5, §3.4, §4.4) as a small value: its data, models, sweep,
/// measurements and the criterion written as code.
public protocol Experiment: Sendable {
    /// The claim id: K1…K5, C1…C6, T1…T3, W1…W6.
    var id: String { get }
    var paper: Paper { get }
    /// The claim in one sentence.
    var claim: String { get }
    /// The precise, fixed criterion the verdict is decided by.
    var criterion: String { get }
    func run(_ context: ExperimentContext) throws -> ClaimResult
}

extension Experiment {
    /// A result carrying this experiment's id, paper, claim and criterion.
    public func result(verdict: Verdict, numbers: [String: Double], keyNumber: String, reading: String,
                       figures: [Figure] = [], config: [String: String] = [:]) -> ClaimResult {
        ClaimResult(id: id, paper: paper, claim: claim, criterion: criterion, verdict: verdict, numbers: numbers,
                    keyNumber: keyNumber, reading: reading, figures: figures, config: config)
    }
}

public enum ExperimentError: Error, CustomStringConvertible {
    case unknownClaim(String, known: [String])
    case failed(id: String, reason: String)

    public var description: String {
        switch self {
        case .unknownClaim(let id, let known): return "unknown claim '\(id)' (known: \(known.joined(separator: ", ")))"
        case .failed(let id, let reason): return "\(id) failed: \(reason)"
        }
    }
}

extension ClaimResult {
    /// The key number as shown to a reader: experiments give either a sentence with the value in it
    /// or the name of one of their `numbers`, shown here as "name = value".
    public var keyNumberText: String {
        guard let value = numbers[keyNumber] else { return keyNumber }
        return "\(keyNumber.replacingOccurrences(of: "_", with: " ")) = \(String(format: "%.3g", value))"
    }
}
