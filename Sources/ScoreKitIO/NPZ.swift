import Foundation
import ZIPFoundation

/// numpy's `.npz`: a zip archive of `.npy` members, stored (`np.savez`) or deflated
/// (`np.savez_compressed`). Members are named `NAME.npy`; arrays here carry `NAME`.
public enum NPZ {
    /// The arrays in archive order. Every member must be an `.npy` file; its declared inflated
    /// size and the archive's total are checked against `limits` before inflating.
    public static func read(contentsOf url: URL, limits: IOLimits = .standard) throws(IOError) -> [NamedArray] {
        try decode(FileAccess.contents(of: url, limits: limits), path: url.path, limits: limits)
    }

    static func decode(_ data: Data, path: String, limits: IOLimits) throws(IOError) -> [NamedArray] {
        let zip = try ZipReader(data, path: path, limits: limits)
        var arrays = [NamedArray]()
        for member in zip.members {
            let location = "\(path)[\(member.name)]"
            guard member.name.hasSuffix(".npy") else {
                throw .malformedHeader(path: location, reason: "npz member is not an .npy file")
            }
            let name = String(member.name.dropLast(4))
            guard arrays[name] == nil else { throw .malformedHeader(path: location, reason: "duplicate member") }
            arrays.append(NamedArray(name, try NPY.decode(zip.contents(of: member), path: location, limits: limits)))
        }
        return arrays
    }

    /// Writes the arrays as `NAME.npy` members, each exactly as `NPY.encode` (i.e. `np.save`)
    /// makes it, deflated if `compressed` — the layout of `np.savez` / `np.savez_compressed`.
    /// Names must be unique and non-empty.
    public static func write(_ arrays: [NamedArray], to url: URL, compressed: Bool = false) throws(IOError) {
        try AtomicFile.write(encode(arrays, compressed: compressed, path: url.path), to: url)
    }

    /// numpy stamps every member 1980-01-01 00:00 (the earliest DOS date); so does this, so the
    /// same arrays always give the same bytes.
    private static let timestamp = Date(timeIntervalSince1970: 315_532_800)

    static func encode(_ arrays: [NamedArray], compressed: Bool, path: String) throws(IOError) -> Data {
        var seen = Set<String>()
        for a in arrays {
            guard !a.name.isEmpty, seen.insert(a.name).inserted else {
                throw .invalidArgument(path: path, reason: "npz array names must be unique and non-empty (\"\(a.name)\")")
            }
        }
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            for a in arrays {
                let member = NPY.encode(a.array)
                try archive.addEntry(with: a.name + ".npy", type: .file, uncompressedSize: Int64(member.count),
                                     modificationDate: timestamp, compressionMethod: compressed ? .deflate : .none,
                                     provider: { position, size in
                                         member[Int(position)..<(Int(position) + size)]
                                     })
            }
            guard let data = archive.data else { throw IOError.unwritable(path: path, reason: "zip archive has no data") }
            return data
        } catch let error as IOError {
            throw error
        } catch {
            throw .unwritable(path: path, reason: "zip: \(error)")
        }
    }
}
