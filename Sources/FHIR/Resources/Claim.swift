import Foundation

/// FHIR R4 `Claim` (the elements RCM reads; HCX IG v0.7.1 profile `Claim`).
///
/// Also used for pre-authorisation and pre-determination (`use`), as HCX does.
public struct FHIRClaim: Hashable, Sendable, Codable {
    /// One billed line (`Claim.item`).
    public struct Item: Hashable, Sendable, Codable {
        public var sequence: Int?
        /// The `Claim.diagnosis.sequence`s this line treats (diagnosis pointers).
        public var diagnosisSequence: [Int]?
        public var productOrService: CodeableConcept?
        /// Billing modifiers (e.g. CPT `25`), `Claim.item.modifier`.
        public var modifier: [CodeableConcept]?
        /// FHIR `date` of this line's service, when given.
        public var servicedDate: String?
        public var servicedPeriod: Period?
        public var quantity: Quantity?
        public var unitPrice: FHIRMoney?
        public var factor: Decimal?
        public var net: FHIRMoney?
    }

    /// One diagnosis (`Claim.diagnosis`).
    public struct Diagnosis: Hashable, Sendable, Codable {
        public var sequence: Int?
        public var diagnosisCodeableConcept: CodeableConcept?
        public var diagnosisReference: Reference?
        public var type: [CodeableConcept]?
    }

    /// One coverage entry (`Claim.insurance`).
    public struct Insurance: Hashable, Sendable, Codable {
        public var sequence: Int?
        public var focal: Bool?
        public var coverage: Reference?
        /// Pre-authorisation references the payer issued for this claim.
        public var preAuthRef: [String]?
    }

    /// A member of the care team (`Claim.careTeam`).
    public struct CareTeam: Hashable, Sendable, Codable {
        public var sequence: Int?
        public var provider: Reference?
        public var role: CodeableConcept?
    }

    /// A procedure (`Claim.procedure`), by code or by reference.
    public struct ProcedureEntry: Hashable, Sendable, Codable {
        public var sequence: Int?
        /// FHIR `dateTime`.
        public var date: String?
        public var procedureCodeableConcept: CodeableConcept?
        public var procedureReference: Reference?
    }

    /// Supporting information (`Claim.supportingInfo`): attachments, onset, discharge details.
    public struct SupportingInformation: Hashable, Sendable, Codable {
        public var sequence: Int?
        public var category: CodeableConcept
        public var code: CodeableConcept?
        public var timingDate: String?
        public var valueString: String?
        public var valueAttachment: Attachment?
        public var valueReference: Reference?
    }

    /// Who is to be paid (`Claim.payee`).
    public struct Payee: Hashable, Sendable, Codable {
        public var type: CodeableConcept?
        public var party: Reference?
    }

    /// A prior claim this one relates to, e.g. the one it corrects (`Claim.related`).
    public struct Related: Hashable, Sendable, Codable {
        public var claim: Reference?
        public var relationship: CodeableConcept?
    }

    public var resourceType: String = "Claim"
    public var id: String?
    public var meta: Meta?
    public var identifier: [Identifier]?
    public var status: String?
    public var type: CodeableConcept?
    /// `claim`, `preauthorization` or `predetermination`.
    public var use: String?
    public var patient: Reference?
    public var billablePeriod: Period?
    /// FHIR `dateTime` the claim was created.
    public var created: String?
    public var insurer: Reference?
    public var provider: Reference?
    public var priority: CodeableConcept?
    public var related: [Related]?
    public var payee: Payee?
    public var careTeam: [CareTeam]?
    public var supportingInfo: [SupportingInformation]?
    public var diagnosis: [Diagnosis]?
    public var procedure: [ProcedureEntry]?
    public var insurance: [Insurance]?
    public var item: [Item]?
    public var total: FHIRMoney?
}
