/// The submitter's business identifier of a claim (FHIR R4 `Claim.identifier`: a namespace URI
/// and a value), e.g. `http://hospital.example/claims` + `CLM-2026-0001`.
public struct ClaimIdentifier: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The namespace of the value (FHIR `Identifier.system`), when given.
    public let system: String?
    /// The identifier itself (FHIR `Identifier.value`).
    public let value: String

    /// Creates an identifier.
    public init(system: String?, value: String) {
        self.system = system
        self.value = value
    }

    /// `system|value`, the FHIR token search form, or just the value when there is no system.
    public var description: String { system.map { "\($0)|\(value)" } ?? value }
}
