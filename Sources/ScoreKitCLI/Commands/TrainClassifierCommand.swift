import ArgumentParser
import Foundation
import ScoreKit

/// `scorekit train-classifier`: trains the digit classifier whose penultimate features
/// `scorekit eval --classifier-fd` compares (`FeatureClassifier`, `Metrics.classifierFrechetDistance`),
/// and writes its weights as safetensors (`layers.k.weight`, `layers.k.bias`, float32).
///
/// Reproducible: the split (rows whose index is a multiple of 5 are held out), the initialisation
/// (PyTorch's uniform ±1/√in from `PhiloxGenerator(seed)`), and the minibatches (a seeded
/// permutation per epoch) depend only on the seed. The bundled weights are this command's output
/// with its defaults, trained in Float (see `FeatureClassifier.bundledDigits`).
struct TrainClassifierCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-classifier",
        abstract: "Train the small digit classifier (64 → 128 → 64 → 10, ReLU) behind eval's classifier Fréchet distance.")

    @Option(help: "Where to write the weights (.safetensors).")
    var out: String

    @Option(help: "Hidden widths (comma separated).")
    var hidden: String = "128,64"

    @Option(help: "Adam steps.")
    var steps: Int = 4000

    @Option(name: .customLong("batch-size"), help: "Minibatch size.")
    var batchSize: Int = 64

    @Option(name: .customLong("learning-rate"), help: "Adam learning rate.")
    var learningRate: Double = 1e-3

    @Option(help: "Seed of the initialisation and the minibatch order.")
    var seed: UInt64 = 0

    func validate() throws {
        let widths: [Int] = try parseList(hidden, option: "--hidden")
        guard widths.allSatisfy({ $0 >= 1 }) else { throw ValidationError("--hidden widths must be positive") }
        guard steps >= 1, batchSize >= 1, learningRate > 0 else {
            throw ValidationError("--steps, --batch-size and --learning-rate must be positive")
        }
    }

    func run() throws {
        let digits = try Digits<Float>.load()
        let split = DigitSplit(digits)
        var trainer = try ClassifierTrainer<Float>(widths: [64] + (try parseList(hidden, option: "--hidden")) + [10],
                                                   seed: seed, learningRate: learningRate)
        var generator = PhiloxGenerator(seed: seed &+ 1)
        var order = [Int]()
        var loss = 0.0
        for step in 0..<steps {
            if order.count < batchSize { order += Array(0..<split.train.rows).shuffled(using: &generator) }
            let batch = Array(order.prefix(batchSize))
            order.removeFirst(batchSize)
            loss = try trainer.step(split.train.rows(at: batch), labels: batch.map { split.trainLabels[$0] })
            if (step + 1) % 1000 == 0 { print("step \(step + 1): loss \(format(loss))") }
        }
        let classifier = try trainer.classifier()
        let accuracy = try classifier.accuracy(split.heldOut, labels: split.heldOutLabels)
        var tensors = [NamedArray]()
        for (k, layer) in classifier.layers.enumerated() {
            let names = FeatureClassifier<Float>.tensorNames(layer: k)
            tensors.append(NamedArray(names.weight, NDArray(layer.weight)))
            tensors.append(NamedArray(names.bias, NDArray(shape: [layer.bias.count], scalars: layer.bias)))
        }
        try Safetensors.write(tensors, metadata: ["held_out_accuracy": String(format: "%.4f", accuracy),
                                                  "seed": "\(seed)", "steps": "\(steps)"],
                              to: URL(fileURLWithPath: out))
        let correct = Int((accuracy * Double(split.heldOut.rows)).rounded())
        print("final training loss \(format(loss)); held-out accuracy \(String(format: "%.4f", accuracy)) (\(correct) of \(split.heldOut.rows)); wrote \(out)")
    }
}

/// The fixed split of the bundled digits: rows 0, 5, 10, … are held out, the rest train.
struct DigitSplit<Scalar: MatrixScalar> {
    let train: Matrix<Scalar>, trainLabels: [Int]
    let heldOut: Matrix<Scalar>, heldOutLabels: [Int]

    init(_ digits: Digits<Scalar>) {
        let rows = Array(0..<digits.images.rows)
        let (held, kept) = (rows.filter { $0 % 5 == 0 }, rows.filter { $0 % 5 != 0 })
        train = digits.images.rows(at: kept)
        trainLabels = kept.map { digits.labels[$0] }
        heldOut = digits.images.rows(at: held)
        heldOutLabels = held.map { digits.labels[$0] }
    }
}

/// An MLP of ScoreKitNN `Linear` layers with ReLU between them, trained with Adam on
/// `SoftmaxCrossEntropy`; the backward pass chains the layers' hand-written backward passes.
struct ClassifierTrainer<Scalar: MatrixScalar> {
    private(set) var linears: [Linear<Scalar>]
    private var optimizer: Adam<Scalar>
    private let relu = Activation<Scalar>(.relu)

    init(widths: [Int], seed: UInt64, learningRate: Double) throws {
        var generator = PhiloxGenerator(seed: seed)
        linears = try (1..<widths.count).map { k in
            try Linear<Scalar>(inputWidth: widths[k - 1], outputWidth: widths[k], using: &generator)
        }
        optimizer = try Adam(learningRate: learningRate)
    }

    /// All trainable tensors, named `layers.k.weight` / `layers.k.bias` like the file.
    var parameters: NamedTensors<Scalar> {
        NamedTensors(prefixing: linears.enumerated().map { ("layers.\($0.offset).", $0.element.parameters) })
    }

    /// The loss on a batch and its gradient with respect to `parameters`.
    func lossAndGradient(_ x: Matrix<Scalar>, labels: [Int]) throws -> (loss: Double, gradient: NamedTensors<Scalar>) {
        var h = x
        var caches = [(linear: Matrix<Scalar>, relu: Matrix<Scalar>?)]()
        for (k, linear) in linears.enumerated() {
            let (z, linearCache) = try linear.forward(h)
            if k == linears.count - 1 {
                caches.append((linearCache, nil))
                h = z
            } else {
                let (a, reluCache) = try relu.forward(z)
                caches.append((linearCache, reluCache))
                h = a
            }
        }
        let objective = try SoftmaxCrossEntropy(logits: h, labels: labels)
        var upstream = objective.logitGradient
        var gradients = [NamedTensors<Scalar>](repeating: NamedTensors(), count: linears.count)
        for k in linears.indices.reversed() {
            if let reluCache = caches[k].relu { upstream = try relu.backward(upstream, cache: reluCache).input }
            let g = try linears[k].backward(upstream, cache: caches[k].linear)
            gradients[k] = g.parameters
            upstream = g.input
        }
        return (objective.loss, NamedTensors(prefixing: gradients.enumerated().map { ("layers.\($0.offset).", $0.element) }))
    }

    /// One Adam step; returns the batch loss before it.
    mutating func step(_ x: Matrix<Scalar>, labels: [Int]) throws -> Double {
        let (loss, gradient) = try lossAndGradient(x, labels: labels)
        var p = parameters
        try optimizer.step(&p, gradients: gradient)
        try load(p)
        return loss
    }

    /// Replaces every layer's weights with the tensors named like `parameters`.
    mutating func load(_ p: NamedTensors<Scalar>) throws {
        let values = p.dictionary
        for k in linears.indices {
            let names = FeatureClassifier<Scalar>.tensorNames(layer: k)
            guard let w = values[names.weight], let b = values[names.bias] else { throw CLIError("missing layer \(k) tensors") }
            linears[k] = try Linear(weight: w, bias: b.scalars)
        }
    }

    /// The trained network as an inference-only feature classifier.
    func classifier() throws -> FeatureClassifier<Scalar> {
        try FeatureClassifier(layers: linears.map { .init(weight: $0.weight, bias: $0.bias.scalars) })
    }
}
