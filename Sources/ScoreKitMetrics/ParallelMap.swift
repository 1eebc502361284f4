import Dispatch

/// `(0..<count).map(work)`, with the iterations spread over the cores by
/// `DispatchQueue.concurrentPerform` when `parallel` is true and there are at least two.
///
/// Callers pass `parallel` only for work of a millisecond or more: below that the hand-off
/// costs more than it saves (swift-numerics.md §7). BLAS runs single-threaded meanwhile (one
/// threading layer at a time) and gets its thread count back afterwards.
func parallelMap<T>(_ count: Int, parallel: Bool, _ work: (Int) -> T) -> [T] {
    guard parallel && count > 1 else { return (0..<count).map(work) }
    return withoutActuallyEscaping(work) { work in
        let results = ParallelResults(count: count, work)
        let threads = NumericsBackend.blasThreads
        NumericsBackend.setBLASThreads(1)
        DispatchQueue.concurrentPerform(iterations: count) { results.run($0) }
        NumericsBackend.setBLASThreads(threads)
        return results.collected()
    }
}

/// The shared results of one `parallelMap`. Iteration i writes only slot i, through a raw
/// pointer (no exclusivity check on a shared array), and `concurrentPerform` returns after every
/// iteration has finished, so the unchecked sendability is sound.
private final class ParallelResults<T>: @unchecked Sendable {
    private let work: (Int) -> T
    private let count: Int
    private let slots: UnsafeMutablePointer<T?>

    init(count: Int, _ work: @escaping (Int) -> T) {
        self.work = work
        self.count = count
        self.slots = .allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    func run(_ i: Int) { slots[i] = work(i) }

    func collected() -> [T] {
        (0..<count).map { i in
            guard let value = slots[i] else { preconditionFailure("concurrentPerform returned before running every iteration") }
            return value
        }
    }
}
