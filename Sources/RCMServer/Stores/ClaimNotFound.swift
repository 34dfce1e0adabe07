import RCMCore

/// No claim has the requested id.
public struct ClaimNotFound: Error, Equatable, CustomStringConvertible {
    public let id: ClaimID
    public var description: String { "no claim \(id)" }
}
