/// FHIR R4 `Encounter`: a visit or stay.
public struct Encounter: Hashable, Sendable, Codable {
    public var resourceType: String = "Encounter"
    public var id: String?
    public var identifier: [Identifier]?
    public var status: String?
    /// `class` in FHIR (a Coding: ambulatory, inpatient, …).
    public var `class`: Coding?
    /// What kind of visit (`Encounter.type`): e.g. a CPT evaluation-and-management code; priced by the chargemaster.
    public var type: [CodeableConcept]?
    public var subject: Reference?
    public var period: Period?
    public var serviceProvider: Reference?
}
