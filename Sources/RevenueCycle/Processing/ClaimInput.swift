import Foundation

/// One input of a batch: a name for messages (a file path or `-`) and its bytes.
public struct ClaimInput: Sendable {
    public let name: String
    public let data: Data

    public init(name: String, data: Data) {
        self.name = name
        self.data = data
    }
}
