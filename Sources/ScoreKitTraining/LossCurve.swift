import Foundation

/// The loss curve of a run, written as `DIR/log.csv` by `scorekit train`: one row per logged or
/// evaluated step with the columns `step`, `loss` (mean training loss since the previous logged
/// step), `heldout_loss` and `train_eval_loss` (the EMA model's `DenoisingEvaluation` on the
/// held-out rows and on as many training rows); a value not measured at that step is `nan`.
/// Comparing the last two columns shows memorisation: the held-out loss stops following the
/// training loss.
public struct LossCurve: Sendable, Equatable {
    public struct Point: Sendable, Equatable {
        public var step: Int
        public var loss: Double
        public var heldOutLoss: Double
        public var trainEvalLoss: Double

        public init(step: Int, loss: Double = .nan, heldOutLoss: Double = .nan, trainEvalLoss: Double = .nan) {
            (self.step, self.loss, self.heldOutLoss, self.trainEvalLoss) = (step, loss, heldOutLoss, trainEvalLoss)
        }

        public static func == (a: Point, b: Point) -> Bool {
            let same = { (x: Double, y: Double) in x == y || (x.isNaN && y.isNaN) }
            return a.step == b.step && same(a.loss, b.loss) && same(a.heldOutLoss, b.heldOutLoss)
                && same(a.trainEvalLoss, b.trainEvalLoss)
        }
    }

    public static let header = ["step", "loss", "heldout_loss", "train_eval_loss"]

    /// Ascending in step, one point per step.
    public private(set) var points: [Point] = []

    public init(points: [Point] = []) {
        for p in points { record(p) }
    }

    /// Merges `point` into the point of its step (measured values win over `nan`), appending a new step.
    public mutating func record(_ point: Point) {
        guard let last = points.indices.last, points[last].step == point.step else {
            points.append(point)
            return
        }
        let merge = { (old: Double, new: Double) in new.isNaN ? old : new }
        points[last].loss = merge(points[last].loss, point.loss)
        points[last].heldOutLoss = merge(points[last].heldOutLoss, point.heldOutLoss)
        points[last].trainEvalLoss = merge(points[last].trainEvalLoss, point.trainEvalLoss)
    }

    /// The points up to and including `step` (a resumed run continues the curve of its checkpoint).
    public func truncated(throughStep step: Int) -> LossCurve {
        LossCurve(points: points.filter { $0.step <= step })
    }

    /// Writes the CSV atomically.
    public func write(to url: URL) throws(IOError) {
        let values = points.flatMap { [Double($0.step), $0.loss, $0.heldOutLoss, $0.trainEvalLoss] }
        try CSV.write(Matrix(rows: points.count, columns: Self.header.count, scalars: values), header: Self.header, to: url)
    }

    /// Reads a curve written by `write`.
    public static func read(from url: URL) throws(IOError) -> LossCurve {
        let table = try CSV.read(contentsOf: url, hasHeader: true, as: Double.self)
        guard table.header == header else {
            throw .invalidArgument(path: url.path, reason: "columns \(table.header ?? []) are not \(header)")
        }
        let m = table.matrix
        var curve = LossCurve()
        for i in 0..<m.rows {
            guard m[i, 0] >= 0, m[i, 0] < 1e15, m[i, 0] == m[i, 0].rounded() else {
                throw .invalidArgument(path: url.path, reason: "row \(i + 1): step \(m[i, 0]) is not a step count")
            }
            curve.record(Point(step: Int(m[i, 0]), loss: m[i, 1], heldOutLoss: m[i, 2], trainEvalLoss: m[i, 3]))
        }
        return curve
    }
}
