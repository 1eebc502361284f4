import Foundation
import ScoreKitIO

/// Why the report folder could not be written or read.
public enum ReportError: Error, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case unwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "cannot read claim record \(path): \(reason)"
        case .unwritable(let path, let reason): return "cannot write \(path): \(reason)"
        }
    }
}

/// The output folder of `scorekit reproduce`: one `<id>.json` per claim and a `report.html`
/// rebuilt from every `<id>.json` present, so runs of single claims accumulate into one report.
public struct ReportFolder: Sendable {
    public let url: URL

    public init(_ url: URL) { self.url = url }

    public var reportURL: URL { url.appendingPathComponent("report.html") }

    public func recordURL(id: String) -> URL { url.appendingPathComponent("\(id).json") }

    /// Writes `OUT/<id>.json` atomically (creating the folder).
    public func write(_ record: ClaimRecord) throws {
        let target = recordURL(id: record.result.id)
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            try AtomicFile.write(try ClaimRecord.encoder().encode(record), to: target)
        } catch let error as IOError {
            throw error
        } catch {
            throw ReportError.unwritable(path: target.path, reason: "\(error)")
        }
    }

    /// Every claim record in the folder: files named `<id>.json` whose content decodes as a
    /// record with that id (other JSON files are not claim records and are skipped). A record that
    /// claims to be one but does not decode is an error, not silently dropped.
    public func records() throws -> [ClaimRecord] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        var records = [ClaimRecord]()
        for name in names.sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let file = url.appendingPathComponent(name)
            let data: Data
            do { data = try Data(contentsOf: file) } catch {
                throw ReportError.unreadable(path: file.path, reason: error.localizedDescription)
            }
            guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let id = object["id"] as? String, id + ".json" == name else { continue }
            do {
                records.append(try ClaimRecord.decoder().decode(ClaimRecord.self, from: data))
            } catch {
                throw ReportError.unreadable(path: file.path, reason: "\(error)")
            }
        }
        return records
    }

    /// Rebuilds `report.html` from every record in the folder, claims in `order` first (the
    /// registry's report order), any others after them by id.
    @discardableResult
    public func writeReport(order: [String], title: String = "ScoreKit: reproduced claims") throws -> URL {
        let html = ReportHTML(records: ReportFolder.sorted(try records(), order: order), title: title).render()
        try AtomicFile.write(Data(html.utf8), to: reportURL)
        return reportURL
    }

    static func sorted(_ records: [ClaimRecord], order: [String]) -> [ClaimRecord] {
        let rank = Dictionary(order.enumerated().map { ($1.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
        return records.sorted { a, b in
            let ra = rank[a.result.id.lowercased()] ?? Int.max, rb = rank[b.result.id.lowercased()] ?? Int.max
            return ra != rb ? ra < rb : a.result.id < b.result.id
        }
    }
}
