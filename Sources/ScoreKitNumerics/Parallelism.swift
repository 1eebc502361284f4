import Dispatch
import Foundation
import Synchronization

/// ScoreKit's one threading layer (swift-numerics.md §7): work is cut into pieces whose
/// arithmetic does not depend on how many threads run them, the pieces are spread over the
/// cores, and BLAS runs single-threaded inside them. Results therefore never depend on the
/// thread count; only the wall time does.
public enum Parallelism {
    /// 0 means "every active core".
    private static let threadLimit = Atomic<Int>(environmentThreadLimit)

    /// `SCOREKIT_NUM_THREADS`, read once at start-up like `OPENBLAS_NUM_THREADS`.
    private static var environmentThreadLimit: Int {
        guard let text = ProcessInfo.processInfo.environment["SCOREKIT_NUM_THREADS"], let n = Int(text), n > 0 else { return 0 }
        return n
    }

    /// The most threads `concurrentMap` runs at once (at least 1). Defaults to the active core
    /// count, or to `SCOREKIT_NUM_THREADS` when set.
    public static var maximumThreads: Int {
        get {
            let limit = threadLimit.load(ordering: .relaxed)
            return limit > 0 ? limit : Swift.max(1, ProcessInfo.processInfo.activeProcessorCount)
        }
        set { threadLimit.store(Swift.max(1, newValue), ordering: .relaxed) }
    }

    /// `(0..<count).map(work)`, with the iterations spread over up to `maximumThreads` threads
    /// when `parallel` is true. Iteration i's result lands in slot i, so the output never
    /// depends on the threads; if iterations throw, the error of the lowest index is rethrown.
    ///
    /// Pass `parallel: false` when the iterations are far below a millisecond: then the hand-off
    /// costs more than it saves, and Dispatch often runs them on the calling thread anyway
    /// (swift-numerics.md §7). BLAS is set to one thread whether or not the iterations run in
    /// parallel, so a piece's rounding is the same either way.
    public static func concurrentMap<T, E: Error>(
        _ count: Int, parallel: Bool = true, _ work: (Int) throws(E) -> T
    ) throws(E) -> [T] {
        NumericsBackend.requireSingleThreadedBLAS()
        let workers = parallel ? Swift.min(count, maximumThreads) : 1
        guard workers > 1 else {
            var results = [T]()
            results.reserveCapacity(Swift.max(count, 0))
            for i in 0..<Swift.max(count, 0) { results.append(try work(i)) }
            return results
        }
        let outcomes = withoutActuallyEscaping(work) { work in
            let slots = Slots<T, E>(count: count, work)
            // Worker w takes iterations w, w + workers, …: a fixed assignment, no shared counter.
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                for i in stride(from: w, to: count, by: workers) { slots.run(i) }
            }
            return slots.collected()
        }
        return try outcomes.map { (outcome: Result<T, E>) throws(E) -> T in try outcome.get() }
    }
}

/// The shared results of one `concurrentMap`. Iteration i writes only slot i, through a raw
/// pointer (no exclusivity check on a shared array), and `concurrentPerform` returns after every
/// iteration has finished, so the unchecked sendability is sound.
private final class Slots<T, E: Error>: @unchecked Sendable {
    private let work: (Int) throws(E) -> T
    private let count: Int
    private let slots: UnsafeMutablePointer<Result<T, E>?>

    init(count: Int, _ work: @escaping (Int) throws(E) -> T) {
        self.work = work
        self.count = count
        self.slots = .allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    func run(_ i: Int) {
        do throws(E) { slots[i] = .success(try work(i)) } catch { slots[i] = .failure(error) }
    }

    func collected() -> [Result<T, E>] {
        (0..<count).map { i in
            guard let outcome = slots[i] else { preconditionFailure("concurrentPerform returned before running every iteration") }
            return outcome
        }
    }
}
