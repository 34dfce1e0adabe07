/// A configuration or start-up problem, stated in one line that names the setting and never
/// contains a secret. The `rcm` command prints it and exits with status 1.
public struct ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
