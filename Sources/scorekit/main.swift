import ScoreKitCLI
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// A write past the file-size limit (`ulimit -f`) raises SIGXFSZ, whose default action kills the
// process mid-write and leaves the temporary file behind. Ignored, the write fails with EFBIG
// instead: the atomic writers remove their temporary file, keep the old output and report one line.
signal(SIGXFSZ, SIG_IGN)
ScoreKitCommand.main()
