import Foundation

/// RCM's own identifier for a claim (a UUID assigned at intake), distinct from the submitter's
/// business identifier (``ClaimIdentifier``) and the FHIR resource id.
public struct ClaimID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The underlying UUID.
    public let rawValue: UUID

    /// Wraps an existing UUID.
    public init(_ rawValue: UUID) { self.rawValue = rawValue }

    /// A new random identifier.
    public init() { self.rawValue = UUID() }

    public var description: String { rawValue.uuidString.lowercased() }

    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(UUID.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
