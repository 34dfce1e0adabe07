/// FHIR R4 `CoverageEligibilityRequest` (HCX IG v0.7.1): is the patient covered, and for what, on
/// the date of service (HCX `/coverageeligibility/check`).
public struct CoverageEligibilityRequest: Hashable, Sendable, Codable {
    /// One service asked about.
    public struct Item: Hashable, Sendable, Codable {
        public var category: CodeableConcept?
        public var productOrService: CodeableConcept?
        public var quantity: Quantity?
        public var unitPrice: FHIRMoney?
    }

    /// The coverage the question is about.
    public struct Insurance: Hashable, Sendable, Codable {
        public var focal: Bool?
        public var coverage: Reference
    }

    public var resourceType: String = "CoverageEligibilityRequest"
    public var id: String?
    public var meta: Meta?
    public var identifier: [Identifier]?
    public var status: String?
    public var priority: CodeableConcept?
    /// `auth-requirements`, `benefits`, `discovery` and/or `validation`.
    public var purpose: [String]?
    public var patient: Reference?
    /// FHIR `date` of the service asked about.
    public var servicedDate: String?
    public var servicedPeriod: Period?
    /// FHIR `dateTime`.
    public var created: String?
    public var enterer: Reference?
    public var provider: Reference?
    public var insurer: Reference?
    public var facility: Reference?
    public var insurance: [Insurance]?
    public var item: [Item]?
}
