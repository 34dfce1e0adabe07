/// FHIR R4 `Condition`: a diagnosis.
public struct Condition: Hashable, Sendable, Codable {
    public var resourceType: String = "Condition"
    public var id: String?
    public var code: CodeableConcept?
    public var subject: Reference?
    /// FHIR `dateTime`.
    public var recordedDate: String?
}
