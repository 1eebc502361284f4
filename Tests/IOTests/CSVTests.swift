import Foundation
import Testing
import ScoreKitNumerics
@testable import ScoreKitIO

@Suite struct CSVTests {
    @Test func readsNpSavetxtWithHeader() throws {
        let table: CSV.Table<Double> = try CSV.read(contentsOf: Fixture.url("table_header.csv"), hasHeader: true)
        let e = try Fixture.expected("table_header.csv")
        #expect(table.header == ["x", "y", "z"])
        #expect([table.matrix.rows, table.matrix.columns] == e.shape)
        #expect(table.matrix.scalars == e.values)   // %.17g round-trips exactly
    }

    @Test func readsPlainAndGzippedFiles() throws {
        let e = try Fixture.expected("ints.csv")
        for name in ["ints.csv", "ints_named.csv.gz"] {
            let table: CSV.Table<Float> = try CSV.read(contentsOf: Fixture.url(name))
            #expect(table.header == nil)
            #expect([table.matrix.rows, table.matrix.columns] == e.shape)
            #expect(table.matrix.scalars.map(Double.init) == e.values)
        }
    }

    @Test func spacesCommentsBlankLinesAndSpecialValues() throws {
        let text = "# comment\n\n 1.5 ,\t-2e-3\r\n\n nan, inf\n-inf,0x10\n"
        let t: CSV.Table<Double> = try CSV.parse(Data(text.utf8), hasHeader: false, path: "s.csv")
        #expect(t.matrix.rows == 3 && t.matrix.columns == 2)
        #expect(t.matrix[0, 0] == 1.5 && t.matrix[0, 1] == -0.002)
        #expect(t.matrix[1, 0].isNaN && t.matrix[1, 1] == .infinity && t.matrix[2, 0] == -.infinity)
        let floats: CSV.Table<Float> = try CSV.parse(Data("0.1\n".utf8), hasHeader: false, path: "f.csv")
        #expect(floats.matrix[0, 0] == Float(0.1))
    }

    @Test func badFieldsNameTheLineAndColumn() {
        let bad = "1,2,3\n# note\n4,abc,6\n"
        expectError("badField", path: "t.csv:3") { () throws(IOError) -> CSV.Table<Double> in
            try CSV.parse(Data(bad.utf8), hasHeader: false, path: "t.csv")
        }
        let error = ioError { () throws(IOError) -> CSV.Table<Double> in try CSV.parse(Data(bad.utf8), hasHeader: false, path: "t.csv") }
        #expect(error == .badField(path: "t.csv", line: 3, column: 2, text: "abc"))
        #expect(error?.description == "t.csv:3: field 2 is not a number: \"abc\"")
        expectError("badField") { () throws(IOError) -> CSV.Table<Double> in try CSV.parse(Data("1,,3\n".utf8), hasHeader: false, path: "e.csv") }
        expectError("badField") { () throws(IOError) -> CSV.Table<Double> in try CSV.parse(Data("x,y\n1,2\n".utf8), hasHeader: false, path: "h.csv") }
        let ragged = ioError { () throws(IOError) -> CSV.Table<Double> in try CSV.parse(Data("a,b\n1,2\n3\n".utf8), hasHeader: true, path: "r.csv") }
        #expect(ragged == .raggedRow(path: "r.csv", line: 3, fields: 1, expected: 2))
    }

    @Test func missingFileAndBadGzip() throws {
        let folder = try TemporaryFolder()
        expectError("fileNotFound") { () throws(IOError) -> CSV.Table<Double> in try CSV.read(contentsOf: folder.file("none.csv")) }
        let broken = try folder.write(Data([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2]), "b.csv.gz")
        expectError("truncated") { () throws(IOError) -> CSV.Table<Double> in try CSV.read(contentsOf: broken) }
    }

    @Test func writesWhatNumpyReads() throws {
        let folder = try TemporaryFolder()
        let m = Matrix<Double>(rows: 2, columns: 3, scalars: [0.5, -2, 1e-5, 3, .nan, 0.1])
        try CSV.write(m, header: ["a", "b,c", "d"], to: folder.file("m.csv"))
        let text = String(decoding: try Data(contentsOf: folder.file("m.csv")), as: UTF8.self)
        #expect(text == "a,\"b,c\",d\n0.5,-2.0,1e-05\n3.0,nan,0.1\n")
        let back: CSV.Table<Double> = try CSV.read(contentsOf: folder.file("m.csv"), hasHeader: true)
        #expect(back.header == ["a", "b,c", "d"])
        #expect(back.matrix.scalars[0] == 0.5 && back.matrix.scalars[4].isNaN && back.matrix.scalars[5] == 0.1)
        expectError("invalidArgument") { () throws(IOError) in try CSV.write(m, header: ["a"], to: folder.file("x.csv")) }
        #expect(folder.contents == ["m.csv"])
    }
}
