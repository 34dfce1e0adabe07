import Foundation

/// One input of a batch: a name for messages (a file path or `-`) and its bytes, or why it could
/// not be read (so the batch reports it beside the others instead of stopping).
public struct ClaimInput: Sendable {
    public let name: String
    /// The bytes; `nil` when the input could not be read.
    public let data: Data?
    /// Why the input could not be read, when it could not.
    public let problem: String?

    /// An input that was read.
    public init(name: String, data: Data) {
        self.name = name
        self.data = data
        self.problem = nil
    }

    /// An input that could not be read.
    public init(name: String, problem: String) {
        self.name = name
        self.data = nil
        self.problem = problem
    }
}
