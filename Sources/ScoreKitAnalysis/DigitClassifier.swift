import Foundation
import ScoreKitIO

extension FeatureClassifier {
    /// The tensor names of layer k in a classifier's safetensors file.
    public static func tensorNames(layer k: Int) -> (weight: String, bias: String) {
        ("layers.\(k).weight", "layers.\(k).bias")
    }

    /// Reads a classifier written by `scorekit train-classifier`: tensors `layers.k.weight`
    /// (out × in) and `layers.k.bias` (out) for k = 0, 1, …, in any float dtype.
    public init(contentsOf url: URL) throws(AnalysisError) {
        let contents: Safetensors.Contents
        do { contents = try Safetensors.read(contentsOf: url) } catch { throw .underlying(error.description) }
        var layers = [Layer]()
        while true {
            let names = Self.tensorNames(layer: layers.count)
            guard let weight = contents.tensors[names.weight] else { break }
            guard let bias = contents.tensors[names.bias], bias.shape.count == 1, weight.shape.count == 2 else {
                throw .invalidInput("\(url.lastPathComponent): layer \(layers.count) needs a 2-D weight and a 1-D bias")
            }
            do {
                layers.append(Layer(weight: try weight.matrix(as: Scalar.self), bias: bias.scalars(as: Scalar.self)))
            } catch { throw .invalidInput("\(url.lastPathComponent): \(error.description)") }
        }
        do { try self.init(layers: layers) } catch { throw .invalidInput("\(url.lastPathComponent): \(error.description)") }
    }

    /// The digit classifier bundled with ScoreKit (resource `digit_classifier.safetensors`): an MLP
    /// 64 → 128 → 64 → 10 with ReLU on the digits scaled to [−1, 1] (`Digits.images`), whose
    /// 64 penultimate activations are the features of `Metrics.classifierFrechetDistance`.
    ///
    /// Made by `scorekit train-classifier --out Sources/ScoreKitAnalysis/Resources/digit_classifier.safetensors`
    /// (seed 0, Adam 1e-3, 4000 steps of 64, float32): trained on the 1,437 digits whose row index
    /// is not a multiple of 5, it classifies the 360 held-out ones (rows 0, 5, 10, …) with
    /// accuracy 0.9778 (352 of 360).
    public static func bundledDigits() throws(AnalysisError) -> FeatureClassifier {
        guard let url = Bundle.module.url(forResource: "digit_classifier", withExtension: "safetensors") else {
            throw .underlying("digit_classifier.safetensors (ScoreKitAnalysis resource) is missing")
        }
        return try FeatureClassifier(contentsOf: url)
    }
}
