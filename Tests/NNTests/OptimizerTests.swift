import Testing
import ScoreKitNN

/// Optimizer steps against the PyTorch-semantics reference of scripts/fixtures/make_nn_fixtures.py
/// and against closed forms derived by hand.
@Suite struct OptimizerTests {
    /// f(θ) = ½ Σ a ⊙ (θ − c)² of the fixture: its gradient a ⊙ (θ − c).
    static func quadraticGradient(_ theta: NamedTensors<Double>) throws -> NamedTensors<Double> {
        let a = try namedTensors(NNFixtures.quadraticA), c = try namedTensors(NNFixtures.quadraticC)
        var g = theta
        for i in g.indices { g[i].value = a[i].value .* (theta[i].value - c[i].value) }
        return g
    }

    static func run(_ optimizer: inout some Optimizer<Double>, steps: Int) throws -> [NamedTensors<Double>] {
        var theta = try namedTensors(NNFixtures.theta0)
        var trajectory = [NamedTensors<Double>]()
        for _ in 0..<steps {
            try optimizer.step(&theta, gradients: quadraticGradient(theta))
            trajectory.append(theta)
        }
        return trajectory
    }

    static func expectClose(_ a: NamedTensors<Double>, _ fixture: [FixtureTensor], tolerance: Double = 1e-13,
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
        let b = try namedTensors(fixture)
        #expect(a.names == b.names, sourceLocation: sourceLocation)
        for (x, y) in zip(a, b) {
            let error = maxRelativeError(x.value, y.value)
            #expect(error < tolerance, "\(x.name): error \(error)", sourceLocation: sourceLocation)
        }
    }

    /// The optimizer's per-parameter state `suffix` as a list named like the parameters.
    static func stateEntries(_ optimizer: some Optimizer<Double>, suffix: String) -> NamedTensors<Double> {
        NamedTensors(optimizer.state.filter { $0.name.hasSuffix("." + suffix) }.map { t in
            NamedTensor(name: String(t.name.dropLast(suffix.count + 1)), value: t.value, isVector: t.isVector)
        })
    }

    @Test(arguments: ["adam", "adamL2", "adamW"])
    func adamMatchesReferenceForThreeSteps(_ name: String) throws {
        var (adam, trajectory, expAvg, expAvgSq): (Adam<Double>, [[FixtureTensor]], [FixtureTensor], [FixtureTensor]) =
            switch name {
            case "adam": (try Adam(learningRate: 0.1), NNFixtures.adamTrajectory, NNFixtures.adamExpAvg, NNFixtures.adamExpAvgSq)
            case "adamL2": (try Adam(learningRate: 0.1, beta1: 0.8, beta2: 0.99, epsilon: 1e-3, weightDecay: 0.1),
                            NNFixtures.adamL2Trajectory, NNFixtures.adamL2ExpAvg, NNFixtures.adamL2ExpAvgSq)
            default: (try .adamW(learningRate: 0.1, weightDecay: 0.1),
                      NNFixtures.adamWTrajectory, NNFixtures.adamWExpAvg, NNFixtures.adamWExpAvgSq)
            }
        let steps = try Self.run(&adam, steps: 3)
        for (s, f) in zip(steps, trajectory) { try Self.expectClose(s, f) }
        try Self.expectClose(Self.stateEntries(adam, suffix: "exp_avg"), expAvg)
        try Self.expectClose(Self.stateEntries(adam, suffix: "exp_avg_sq"), expAvgSq)
        #expect(adam.stepCount == 3 && adam.state["step"] == Matrix(row: [3]))
    }

    @Test func sgdMatchesReferenceForThreeSteps() throws {
        var momentum = try SGD<Double>(learningRate: 0.1, momentum: 0.9)
        for (s, f) in zip(try Self.run(&momentum, steps: 3), NNFixtures.sgdMomentumTrajectory) { try Self.expectClose(s, f) }
        try Self.expectClose(Self.stateEntries(momentum, suffix: "momentum_buffer"), NNFixtures.sgdMomentumBuffer)

        var nesterov = try SGD<Double>(learningRate: 0.1, momentum: 0.9, weightDecay: 0.05, nesterov: true)
        for (s, f) in zip(try Self.run(&nesterov, steps: 3), NNFixtures.sgdNesterovTrajectory) { try Self.expectClose(s, f) }
        try Self.expectClose(Self.stateEntries(nesterov, suffix: "momentum_buffer"), NNFixtures.sgdNesterovBuffer)

        var plain = try SGD<Double>(learningRate: 0.2, weightDecay: 0.1)
        for (s, f) in zip(try Self.run(&plain, steps: 3), NNFixtures.sgdPlainTrajectory) { try Self.expectClose(s, f) }
        #expect(plain.state.names == ["step"])
    }

    /// By hand: after one step m̂ = g and v̂ = g², so with ε = 0 every parameter moves by exactly η·sign(g).
    @Test func firstAdamStepMovesEachParameterByTheLearningRate() throws {
        var adam = try Adam<Double>(learningRate: 0.01, epsilon: 0)
        var theta = NamedTensors([NamedTensor(name: "w", value: Matrix(row: [1, 2, 3, 4]))])
        let g = NamedTensors([NamedTensor(name: "w", value: Matrix(row: [5, -1e-3, 200, -7]))])
        try adam.step(&theta, gradients: g)
        #expect(maxRelativeError(theta["w"]!, Matrix(row: [0.99, 2.01, 2.99, 4.01])) < 1e-15)
    }

    /// By hand: with a zero gradient Adam's update vanishes, so AdamW only decays θ ← θ (1 − ηλ),
    /// while Adam's L2 term enters through the normalised update and moves by η.
    @Test func decoupledDecayIsMultiplicative() throws {
        var adamW = try Adam<Double>.adamW(learningRate: 0.1, weightDecay: 0.5)
        var adamL2 = try Adam<Double>(learningRate: 0.1, epsilon: 0, weightDecay: 0.5)
        let zero = NamedTensors([NamedTensor(name: "w", value: Matrix(row: [0, 0]))])
        var a = NamedTensors([NamedTensor(name: "w", value: Matrix(row: [2, -4]))]), b = a
        try adamW.step(&a, gradients: zero)
        try adamL2.step(&b, gradients: zero)
        #expect(a["w"] == Matrix(row: [2 * 0.95, -4 * 0.95]))
        #expect(maxRelativeError(b["w"]!, Matrix(row: [1.9, -3.9])) < 1e-15)
    }

    @Test func adamMinimisesAConvexQuadratic() throws {
        // f(θ) = ½ (θ − c)ᵀ H (θ − c), H positive definite with condition number ≈ 20.
        let h = Matrix<Double>(rowArrays: [[4, 1, 0], [1, 3, 0.5], [0, 0.5, 0.2]])
        let c = Matrix<Double>(row: [1, -2, 0.5])
        var theta = NamedTensors([NamedTensor(name: "theta", value: Matrix(row: [0, 0, 0]))])
        var adam = try Adam<Double>()
        let schedule = try LearningRateSchedule(base: 0.05, warmupSteps: 10, decay: .cosine(totalSteps: 3000, minimum: 0))
        for t in 0..<3000 {
            adam.learningRate = schedule.rate(atStep: t)
            let r = theta["theta"]! - c
            try adam.step(&theta, gradients: NamedTensors([NamedTensor(name: "theta", value: r * h)]))
        }
        let distance = (theta["theta"]! - c).norm()
        #expect(distance < 1e-3, "‖θ − c‖ = \(distance)")
    }

    @Test func floatAdamTracksDouble() throws {
        var single = try Adam<Float>(learningRate: 0.1)
        var double = try Adam<Double>(learningRate: 0.1)
        let d = try Self.run(&double, steps: 3)
        var theta = try namedTensors(NNFixtures.theta0)
        var thetaF = NamedTensors(theta.map { NamedTensor(name: $0.name, value: $0.value.converted(to: Float.self), isVector: $0.isVector) })
        for step in 0..<3 {
            let g = try Self.quadraticGradient(theta)
            try single.step(&thetaF, gradients: NamedTensors(g.map {
                NamedTensor(name: $0.name, value: $0.value.converted(to: Float.self), isVector: $0.isVector)
            }))
            theta = NamedTensors(thetaF.map { NamedTensor(name: $0.name, value: $0.value.converted(to: Double.self), isVector: $0.isVector) })
            for (a, b) in zip(theta, d[step]) { #expect(maxRelativeError(a.value, b.value) < 1e-6) }
        }
    }

    @Test func savedStateContinuesExactly() throws {
        var adam = try Adam<Double>(learningRate: 0.05)
        var sgd = try SGD<Double>(learningRate: 0.05, momentum: 0.8, nesterov: true)
        try Self.expectResumesExactly(&adam, fresh: try Adam<Double>(learningRate: 0.05))
        try Self.expectResumesExactly(&sgd, fresh: try SGD<Double>(learningRate: 0.05, momentum: 0.8, nesterov: true))
    }

    static func expectResumesExactly<O: Optimizer<Double>>(_ optimizer: inout O, fresh: O) throws {
        var theta = try namedTensors(NNFixtures.theta0)
        for _ in 0..<2 { try optimizer.step(&theta, gradients: quadraticGradient(theta)) }
        var restored = fresh
        try restored.load(state: optimizer.state.dictionary, for: theta)
        #expect(restored.stepCount == 2)
        var a = theta, b = theta
        try optimizer.step(&a, gradients: quadraticGradient(a))
        try restored.step(&b, gradients: quadraticGradient(b))
        #expect(a == b)
        #expect(optimizer.state == restored.state)
    }

    @Test func badStateAndGradientsThrow() throws {
        var adam = try Adam<Double>()
        var theta = try namedTensors(NNFixtures.theta0)
        try adam.step(&theta, gradients: Self.quadraticGradient(theta))
        let good = adam.state.dictionary
        var missing = good
        missing["bias.exp_avg_sq"] = nil
        #expect(throws: NNError.missingTensor("bias.exp_avg_sq")) { try adam.load(state: missing, for: theta) }
        var wrong = good
        wrong["weight.exp_avg"] = Matrix(rows: 1, columns: 4)
        #expect(throws: NNError.tensorShape(name: "weight.exp_avg", expected: [2, 2], found: [1, 4])) {
            try adam.load(state: wrong, for: theta)
        }
        var extra = good
        extra["other.exp_avg"] = Matrix(rows: 1, columns: 1)
        #expect(throws: NNError.unexpectedTensor("other.exp_avg")) { try adam.load(state: extra, for: theta) }
        var fractional = good
        fractional["step"] = Matrix(row: [1.5])
        #expect(throws: NNError.self) { try adam.load(state: fractional, for: theta) }

        let renamed = NamedTensors(theta.map { NamedTensor(name: $0.name + "x", value: $0.value, isVector: $0.isVector) })
        #expect(throws: NNError.self) { try adam.step(&theta, gradients: renamed) }
        #expect(throws: NNError.self) { try adam.step(&theta, gradients: NamedTensors(Array(theta.prefix(1)))) }
        #expect(throws: NNError.self) { try Adam<Double>(beta1: 1) }
        adam.learningRate = .nan
        #expect(throws: NNError.self) { try adam.step(&theta, gradients: Self.quadraticGradient(theta)) }
        #expect(throws: NNError.self) { try SGD<Double>(learningRate: 0.1, nesterov: true) }
    }

    @Test func clippingRescalesByTheGlobalNorm() {
        var g = NamedTensors([
            NamedTensor(name: "a", value: Matrix<Double>(row: [3, 4])),
            NamedTensor(name: "b", value: Matrix<Double>(rows: 1, columns: 1, repeating: 12), isVector: true),
        ])
        let untouched = g
        #expect(g.clipNorm(to: 20) == 13)
        #expect(g == untouched)
        #expect(g.clipNorm(to: 6.5) == 13)
        let factor = 6.5 / (13 + 1e-6)  // PyTorch's clip_coef
        #expect(maxRelativeError(g["a"]!, Matrix(row: [3 * factor, 4 * factor])) < 1e-15)
        #expect(maxRelativeError(g["b"]!, Matrix(row: [12 * factor])) < 1e-15)
    }
}
