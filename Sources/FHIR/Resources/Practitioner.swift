/// FHIR R4 `Practitioner`.
public struct Practitioner: Hashable, Sendable, Codable {
    public var resourceType: String = "Practitioner"
    public var id: String?
    public var identifier: [Identifier]?
    public var name: [Patient.Name]?
}
