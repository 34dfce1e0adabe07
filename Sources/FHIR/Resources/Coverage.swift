/// FHIR R4 `Coverage`: the policy a patient is covered by.
public struct Coverage: Hashable, Sendable, Codable {
    public var resourceType: String = "Coverage"
    public var id: String?
    public var meta: Meta?
    public var identifier: [Identifier]?
    /// `active`, `cancelled`, `draft` or `entered-in-error`.
    public var status: String?
    public var subscriber: Reference?
    /// The member id at the payer.
    public var subscriberId: String?
    public var beneficiary: Reference?
    public var relationship: CodeableConcept?
    public var period: Period?
    public var payor: [Reference]?
}
