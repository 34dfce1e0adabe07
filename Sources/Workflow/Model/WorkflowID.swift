/// Identifies one workflow run. Callers may choose it (e.g. derived from a claim id) so that
/// starting the same work twice finds the existing run instead of starting a second one.
public struct WorkflowID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The identifier text (at most 64 characters).
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }
}
