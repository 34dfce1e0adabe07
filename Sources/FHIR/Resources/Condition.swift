/// FHIR R4 `Condition`: a diagnosis.
public struct Condition: Hashable, Sendable, Codable {
    public var resourceType: String = "Condition"
    public var id: String?
    public var code: CodeableConcept?
    public var subject: Reference?
    /// The encounter the condition was recorded in (`Condition.encounter`).
    public var encounter: Reference?
    /// FHIR `dateTime`.
    public var recordedDate: String?
}
