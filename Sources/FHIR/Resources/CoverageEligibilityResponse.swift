import Foundation

/// FHIR R4 `CoverageEligibilityResponse` (HCX IG v0.7.1): the payer's answer to an eligibility
/// question (HCX `/coverageeligibility/on_check`).
public struct CoverageEligibilityResponse: Hashable, Sendable, Codable {
    /// One benefit limit or amount used.
    public struct Benefit: Hashable, Sendable, Codable {
        public var type: CodeableConcept
        public var allowedMoney: FHIRMoney?
        public var allowedUnsignedInt: Int?
        public var usedMoney: FHIRMoney?
    }

    /// Benefits for a category of service.
    public struct Item: Hashable, Sendable, Codable {
        public var category: CodeableConcept?
        public var productOrService: CodeableConcept?
        public var excluded: Bool?
        public var name: String?
        public var network: CodeableConcept?
        public var unit: CodeableConcept?
        public var term: CodeableConcept?
        public var benefit: [Benefit]?
        public var authorizationRequired: Bool?
    }

    /// The answer for one coverage.
    public struct Insurance: Hashable, Sendable, Codable {
        public var coverage: Reference
        /// Whether the coverage is in force on the date asked about.
        public var inforce: Bool?
        public var benefitPeriod: Period?
        public var item: [Item]?
    }

    /// A processing error (`CoverageEligibilityResponse.error`).
    public struct ResponseError: Hashable, Sendable, Codable {
        public var code: CodeableConcept
    }

    public var resourceType: String = "CoverageEligibilityResponse"
    public var id: String?
    public var meta: Meta?
    public var identifier: [Identifier]?
    public var status: String?
    public var purpose: [String]?
    public var patient: Reference?
    /// FHIR `date`.
    public var servicedDate: String?
    public var servicedPeriod: Period?
    /// FHIR `dateTime`.
    public var created: String?
    public var requestor: Reference?
    public var request: Reference?
    /// `queued`, `complete`, `error` or `partial`.
    public var outcome: String?
    public var disposition: String?
    public var insurer: Reference?
    public var insurance: [Insurance]?
    public var error: [ResponseError]?
}
