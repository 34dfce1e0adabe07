/// FHIR R4 `Procedure`: something done for the patient.
public struct Procedure: Hashable, Sendable, Codable {
    public var resourceType: String = "Procedure"
    public var id: String?
    public var status: String?
    public var code: CodeableConcept?
    public var subject: Reference?
    /// The encounter the procedure was performed in (`Procedure.encounter`).
    public var encounter: Reference?
    /// FHIR `dateTime`.
    public var performedDateTime: String?
    public var performedPeriod: Period?
}
