import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Atomic file replacement: the one way every writer in ScoreKit puts bytes on disk.
///
/// The data goes to a fresh temporary file in the destination's folder (same file system, so
/// `rename(2)` is atomic), is flushed with `fsync`, and is then renamed over the destination.
/// A reader of the destination sees either the old file or the complete new one, never a
/// half-written file; on any failure the temporary file is removed and the destination is untouched.
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL) throws(IOError) {
        let path = url.path
        let folder = url.deletingLastPathComponent().path
        let temporary = folder + "/." + url.lastPathComponent + "." + UUID().uuidString + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw .unwritable(path: path, reason: FileAccess.errorText(errno)) }
        var failure = writeAll(data, to: fd)
        if failure == 0, fsync(fd) != 0 { failure = errno }
        if close(fd) != 0, failure == 0 { failure = errno }
        if failure == 0, rename(temporary, path) != 0 { failure = errno }
        guard failure == 0 else {
            unlink(temporary)
            throw .unwritable(path: path, reason: FileAccess.errorText(failure))
        }
        syncFolder(folder)
    }

    /// Deletes the temporary files that writes of `url` killed mid-way (e.g. by SIGKILL) left
    /// beside it; they are never read, only clutter. Best effort: files that cannot be removed stay.
    /// Call it only when no other process is writing `url`.
    public static func removeLeftovers(of url: URL) {
        let folder = url.deletingLastPathComponent().path
        let prefix = "." + url.lastPathComponent + "."
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".tmp")
            && UUID(uuidString: String(name.dropFirst(prefix.count).dropLast(4))) != nil {
            unlink(folder + "/" + name)
        }
    }

    /// Makes the rename itself durable; best effort, since some file systems refuse to sync a folder.
    private static func syncFolder(_ folder: String) {
        let fd = open(folder, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}

/// Writes every byte, retrying short writes and interrupts; returns 0 or the `errno`.
private func writeAll(_ data: Data, to fd: Int32) -> Int32 {
    data.withUnsafeBytes { buffer -> Int32 in
        guard let base = buffer.baseAddress else { return 0 }
        var done = 0
        while done < buffer.count {
            let n = write(fd, base + done, buffer.count - done)
            if n > 0 { done += n } else if n < 0 && errno == EINTR { continue } else { return n < 0 ? errno : EIO }
        }
        return 0
    }
}

