import Dispatch

/// Runs `work(0)` and `work(1)` concurrently (one on the calling thread, one on a Dispatch worker)
/// and returns both results.
///
/// Callers split only work above about a millisecond: below that, Dispatch often runs both halves
/// on the calling thread anyway and the hand-off costs more than it saves (swift-numerics.md §7).
func performInTwo<T>(_ work: (Int) -> T) -> (T, T) {
    withoutActuallyEscaping(work) { work in
        let results = TwoResults(work)
        DispatchQueue.concurrentPerform(iterations: 2) { results.run($0) }
        guard let first = results.first, let second = results.second else {
            preconditionFailure("concurrentPerform returned before running both iterations")
        }
        return (first, second)
    }
}

/// The shared state of `performInTwo`. Iteration i writes only its own stored property, and
/// `concurrentPerform` returns after both have finished, so the unchecked sendability is sound.
private final class TwoResults<T>: @unchecked Sendable {
    let work: (Int) -> T
    var first: T?
    var second: T?

    init(_ work: @escaping (Int) -> T) { self.work = work }

    func run(_ i: Int) {
        if i == 0 { first = work(0) } else { second = work(1) }
    }
}
