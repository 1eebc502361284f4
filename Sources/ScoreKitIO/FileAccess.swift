import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads with the checks every reader needs first: the file exists, is a regular
/// file, and is no larger than `IOLimits.maxBytes` (checked with `fstat` on the open descriptor,
/// before anything is allocated).
enum FileAccess {
    static func contents(of url: URL, limits: IOLimits) throws(IOError) -> Data {
        let path = url.path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw .fileNotFound(path: path) }
            throw .unreadable(path: path, reason: errorText(code))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(path: path, reason: errorText(errno)) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw .unreadable(path: path, reason: (info.st_mode & S_IFMT) == S_IFDIR ? "is a directory" : "not a regular file")
        }
        let size = Int(info.st_size)
        guard size <= limits.maxBytes else {
            throw .tooLarge(path: path, what: "file", bytes: size, limit: limits.maxBytes)
        }
        var data = Data(count: size)
        var filled = 0
        var failure: Int32 = 0
        data.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            while filled < size {
                let n = read(fd, base + filled, size - filled)
                if n > 0 { filled += n; continue }
                if n == 0 { break }          // the file shrank since fstat: keep what is there
                if errno == EINTR { continue }
                failure = errno
                break
            }
        }
        guard failure == 0 else { throw .unreadable(path: path, reason: errorText(failure)) }
        data.count = filled
        return data
    }

    /// The C library's message for an `errno` value.
    static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }
}
