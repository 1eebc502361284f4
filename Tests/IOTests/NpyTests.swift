import Foundation
import Testing
import ScoreKitNumerics
@testable import ScoreKitIO

/// An npy file with a hand-written header dict (no padding) and payload.
func npyFile(header: String, version: UInt8 = 1, payload: Data = Data()) -> Data {
    var d = Data([0x93] + Array("NUMPY".utf8) + [version, 0])
    let h = Array(header.utf8)
    for i in 0..<(version == 1 ? 2 : 4) { d.append(UInt8(truncatingIfNeeded: h.count >> (8 * i))) }
    d.append(contentsOf: h)
    d.append(payload)
    return d
}

func doubles(_ values: [Double]) -> Data {
    var d = Data()
    for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { d.append(contentsOf: $0) } }
    return d
}

@Suite struct NpyReadTests {
    /// Little-endian C-order files as `np.save` writes them.
    static let cOrder = ["f8_2d.npy", "f4_2d.npy", "i4_1d.npy", "i8_1d.npy", "u1_2d.npy", "f8_3d.npy",
                         "f8_0d.npy", "f8_empty.npy", "f4_long_1d.npy"]
    /// Fortran order, big-endian, and header versions 2.0 and 3.0: the reader must convert.
    static let converted = ["f8_fortran_2d.npy", "f4_fortran_3d.npy", "be_f4_2d.npy", "be_f8_3d.npy",
                            "be_i4_1d.npy", "be_i8_1d.npy", "be_f8_fortran_2d.npy", "f8_v2.npy", "f4_v3.npy"]

    @Test(arguments: cOrder + converted)
    func readsWhatNumpyWrote(name: String) throws {
        let array = try NPY.read(contentsOf: Fixture.url(name))
        expectMatches(array, try Fixture.expected(name))
    }

    @Test(arguments: cOrder)
    func encodesByteForByteLikeNpSave(name: String) throws {
        let file = try Fixture.data(name)
        #expect(NPY.encode(try NPY.read(contentsOf: Fixture.url(name))) == file)
    }

    @Test func versionsOfTheFixturesAreAsWritten() throws {
        #expect(try Fixture.data("f8_v2.npy")[6] == 2)
        #expect(try Fixture.data("f4_v3.npy")[6] == 3)
        #expect(try Fixture.data("f8_fortran_2d.npy").offsets(of: Array("True".utf8)).count == 1)
    }

    @Test func fortranOrderIsTransposedIntoCOrder() throws {
        // Column-major 2 × 3 [[1, 2, 3], [4, 5, 6]] is stored 1 4 2 5 3 6.
        let file = npyFile(header: "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }\n",
                           payload: doubles([1, 4, 2, 5, 3, 6]))
        let a = try NPY.decode(file, path: "f.npy", limits: .standard)
        #expect(a.scalars(as: Double.self) == [1, 2, 3, 4, 5, 6])
    }

    @Test func headerDictParsesLikeAPythonLiteral() throws {
        let payload = doubles([1, 2, 3, 4, 5, 6])
        let headers = [
            "{'descr':'<f8','fortran_order':False,'shape':(6,)}",                      // no spaces, no trailing comma
            "{ \"shape\" : ( 6 , ) , \"fortran_order\" : False , \"descr\" : \"<f8\" , }   \n",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3,), }",            // trailing comma in the tuple
            "{'descr': '<f8',\n 'fortran_order': False,\n 'shape': (6L,)}",             // Python 2 long
            "{'descr': '=f8', 'fortran_order': False, 'shape': (6,), }",                // native order
        ]
        for h in headers {
            let a = try NPY.decode(npyFile(header: h, payload: payload), path: "h.npy", limits: .standard)
            #expect(a.count == 6 && a.scalars(as: Double.self) == [1, 2, 3, 4, 5, 6], "\(h)")
        }
        let scalar = try NPY.decode(npyFile(header: "{'descr': '<f8', 'fortran_order': False, 'shape': ()}", payload: doubles([7])),
                                    path: "s.npy", limits: .standard)
        #expect(scalar.shape == [] && scalar.scalars(as: Double.self) == [7])
    }

    @Test func integerAndByteArraysConvertToFloatingPoint() throws {
        let i8 = try NPY.read(contentsOf: Fixture.url("i8_1d.npy"))
        #expect(i8.scalars(as: Double.self) == [-4611686018427387904, -3, 0, 5, 9007199254740992])
        let u1 = try NPY.read(contentsOf: Fixture.url("u1_2d.npy"))
        #expect(u1.scalars(as: Float.self) == (0..<12).map { Float($0 * 20) })
    }
}

@Suite struct NpyWriteTests {
    @Test func matrixRoundTripsThroughAFile() throws {
        let folder = try TemporaryFolder()
        let m = Matrix<Float>(rows: 2, columns: 3, scalars: [0.1, -2, 3.5, .infinity, 0, -0])
        try NPY.write(m, to: folder.file("m.npy"))
        let back: Matrix<Float> = try NPY.readMatrix(contentsOf: folder.file("m.npy"))
        #expect(back == m)
        #expect(try NPY.read(contentsOf: folder.file("m.npy")).dtype == .float32)
        #expect(folder.contents == ["m.npy"])
    }

    @Test func writesLikeNpSaveForTheSameValues() throws {
        // The same array built in Swift from numpy's values must give np.save's bytes.
        let e = try Fixture.expected("f8_3d.npy")
        let values = try #require(e.values)
        let frames = (0..<4).map { t in Matrix<Double>(rows: 3, columns: 2, scalars: Array(values[(t * 6)..<(t * 6 + 6)])) }
        #expect(NPY.encode(NDArray(stacking: frames)) == (try Fixture.data("f8_3d.npy")))
        #expect(NPY.encode(NDArray(shape: [3, 4], scalars: try #require(Fixture.expected("f8_2d.npy").values))) == (try Fixture.data("f8_2d.npy")))
    }

    @Test func headerIsPaddedTo64BytesAndFallsBackToVersion2() throws {
        for shape in [[3], [2, 5], [], [1_000_000, 0]] {
            let data = NPY.encode(NDArray(shape: shape, storage: .float64([Double](repeating: 1, count: shape.reduce(1, *)))))
            let headerEnd = 10 + Int(data.le(UInt16.self, at: 8))
            #expect(headerEnd % 64 == 0 && data[headerEnd - 1] == 0x0A && data[6] == 1)
        }
        // 22,000 dimensions of size 1 need a header longer than 65,535 bytes: version 2.0.
        let wide = NDArray(shape: [Int](repeating: 1, count: 22_000), storage: .uint8([9]))
        let data = NPY.encode(wide)
        #expect(data[6] == 2)
        #expect((12 + Int(data.le(UInt32.self, at: 8))) % 64 == 0)
        #expect(try NPY.decode(data, path: "wide.npy", limits: .standard) == wide)
    }

    @Test func matrixConventions() throws {
        let column = try NDArray(shape: [3], storage: .int32([1, 2, 3])).matrix(as: Double.self)
        #expect(column.rows == 3 && column.columns == 1)
        let scalar = try NDArray(shape: [], storage: .float32([2])).matrix(as: Float.self)
        #expect(scalar.rows == 1 && scalar.columns == 1 && scalar[0, 0] == 2)
        let url = try Fixture.url("f8_3d.npy")
        let traj = try NPY.read(contentsOf: url)
        expectError("invalidArgument") { () throws(IOError) in try traj.matrix(as: Double.self) }
        expectError("invalidShape", path: url.path) { () throws(IOError) in try NPY.readMatrix(contentsOf: url, as: Double.self) }
        let frames: [Matrix<Double>] = try traj.slices()
        let values = try #require(Fixture.expected("f8_3d.npy").values)
        #expect(frames.count == 4 && frames[2].rows == 3 && frames[2].columns == 2)
        #expect(frames[2][1, 0] == values[2 * 6 + 1 * 2 + 0])
    }
}
