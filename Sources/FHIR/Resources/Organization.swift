/// FHIR R4 `Organization`: a provider, payer or other party.
public struct Organization: Hashable, Sendable, Codable {
    public var resourceType: String = "Organization"
    public var id: String?
    public var meta: Meta?
    public var identifier: [Identifier]?
    public var name: String?
}
