import Foundation

/// Progress for long work, written to standard error so standard output stays machine-readable.
///
/// On a terminal it redraws one line in place; otherwise (logs, CI) it prints a plain line at
/// every tenth of the work, so logs stay short and readable.
public final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let total: Int
    private let isTerminal: Bool
    private let start = Date()
    private var done = 0
    private var lastDecile = -1
    private let lock = NSLock()

    public init(_ label: String, total: Int, isTerminal: Bool = isatty(STDERR_FILENO) != 0) {
        self.label = label
        self.total = max(total, 1)
        self.isTerminal = isTerminal
    }

    /// Marks `n` more units done.
    public func advance(by n: Int = 1) {
        lock.lock()
        defer { lock.unlock() }
        done = min(done + n, total)
        if isTerminal {
            write(render(width: 30), terminator: done == total ? "\n" : "")
        } else {
            let decile = done * 10 / total
            if decile != lastDecile {
                lastDecile = decile
                write(plainLine(), terminator: "\n")
            }
        }
    }

    /// Marks the work complete (prints the final state once).
    public func finish() { advance(by: total - done) }

    func plainLine() -> String {
        "\(label): \(done)/\(total) (\(done * 100 / total)%) \(String(format: "%.1f", elapsed()))s"
    }

    func render(width: Int) -> String {
        let filled = done * width / total
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let t = elapsed()
        let eta = done > 0 && done < total ? String(format: " eta %.0fs", t / Double(done) * Double(total - done)) : ""
        return "\r\(label) \(bar) \(done)/\(total) \(String(format: "%.1fs", t))\(eta)\u{1B}[K"
    }

    private func elapsed() -> Double { Date().timeIntervalSince(start) }

    private func write(_ s: String, terminator: String) {
        FileHandle.standardError.write(Data((s + terminator).utf8))
    }
}
