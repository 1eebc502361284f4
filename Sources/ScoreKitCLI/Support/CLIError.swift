/// A user-facing failure of a command: printed as one line (`Error: …`) with a nonzero exit.
///
/// Library errors (IO, numerics, …) already describe themselves in one line and are thrown as
/// they are; this type covers what only the command line knows (bad option combinations).
public struct CLIError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
