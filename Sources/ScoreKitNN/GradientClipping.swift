extension NamedTensors {
    /// Rescales all tensors together so their global L2 norm is at most `maxNorm`, as PyTorch's
    /// `clip_grad_norm_`: the factor is min(1, maxNorm / (‖g‖ + 1e-6)). Returns ‖g‖ before clipping
    /// (accumulated in Double), which training logs report. A non-finite norm leaves the tensors
    /// unchanged (PyTorch would fill them with NaN); the caller sees it in the return value.
    @discardableResult
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public mutating func clipNorm(to maxNorm: Double) -> Double {
        let total = squaredNorm().squareRoot()
        let factor = Swift.min(1, maxNorm / (total + 1e-6))
        if factor < 1 {
            let f = Scalar(factor)
            for k in tensors.indices { tensors[k].value *= f }
        }
        return total
    }
}
