import Testing
import ScoreKitNN

@Suite struct NamedTensorsTests {
    static let a = NamedTensors([
        NamedTensor(name: "weight", value: Matrix<Double>(rowArrays: [[1, 2], [3, 4]])),
        NamedTensor(name: "bias", value: Matrix<Double>(row: [5, 6]), isVector: true),
    ])

    @Test func prefixingJoinsChildrenInOrder() {
        let joined = NamedTensors(prefixing: [("first.", Self.a), ("empty.", NamedTensors()), ("second.", Self.a)])
        #expect(joined.names == ["first.weight", "first.bias", "second.weight", "second.bias"])
        #expect(joined.map(\.shape) == [[2, 2], [2], [2, 2], [2]])
        #expect(joined["second.bias"] == Matrix(row: [5, 6]))
        #expect(joined.pairs.map(\.name) == joined.names)
    }

    @Test func addAccumulatesElementwise() throws {
        var sum = Self.a.zeros()
        #expect(sum.squaredNorm() == 0)
        try sum.add(Self.a)
        try sum.add(Self.a, scaledBy: 0.5)
        #expect(sum["weight"] == Matrix(rowArrays: [[1.5, 3], [4.5, 6]]))
        #expect(sum["bias"] == Matrix(row: [7.5, 9]))
        #expect(Self.a.squaredNorm() == 1 + 4 + 9 + 16 + 25 + 36)
        #expect(throws: NNError.self) { try sum.add(NamedTensors(Array(Self.a.prefix(1)))) }
        let transposed = NamedTensors([NamedTensor(name: "weight", value: Matrix<Double>(rows: 1, columns: 4)), Self.a[1]])
        #expect(throws: NNError.tensorShape(name: "tensors weight", expected: [2, 2], found: [1, 4])) { try sum.add(transposed) }
    }

    @Test func torchShapesMapToMatrices() throws {
        #expect(try NamedTensor<Float>.matrix(name: "b", shape: [3], scalars: [1, 2, 3]) == Matrix(row: [1, 2, 3]))
        #expect(try NamedTensor<Float>.matrix(name: "w", shape: [2, 1], scalars: [1, 2]) == Matrix(column: [1, 2]))
        #expect(throws: NNError.unsupportedRank(name: "k", shape: [1, 1, 1])) {
            try NamedTensor<Float>.matrix(name: "k", shape: [1, 1, 1], scalars: [1])
        }
        #expect(throws: NNError.self) { try NamedTensor<Float>.matrix(name: "w", shape: [2, -1], scalars: []) }
    }
}
