import Foundation

/// One encounter in RCM's own input format, read and checked (see docs/integrating.md, "Encounter input
/// format" for the JSON shape): who was seen, under which cover, by whom, when, what was found
/// and done, and what was charged. The claim builder turns it into an HCX ClaimRequestBundle
/// (HCX IG v0.7.1), which then runs through the same claim workflow as claims received as FHIR.
public struct Encounter: Hashable, Sendable {
    /// The patient (FHIR `Patient`).
    public struct Patient: Hashable, Sendable {
        /// The provider's medical record number (`Patient.identifier`, type `MR`).
        public let id: String
        /// Name as text, if given.
        public let name: String?
        /// FHIR administrative gender: `male`, `female`, `other` or `unknown`.
        public let gender: String?
        /// Date of birth.
        public let birthDate: ServiceDate?
        /// Home address (`Patient.address`), if given: X12 payers need it.
        public let address: PostalAddress?

        public init(id: String, name: String?, gender: String?, birthDate: ServiceDate?, address: PostalAddress? = nil)
        {
            self.id = id
            self.name = name
            self.gender = gender
            self.birthDate = birthDate
            self.address = address
        }
    }

    /// The insurance the claim is billed to (FHIR `Coverage` and the insurer `Organization`).
    public struct Coverage: Hashable, Sendable {
        /// The payer's identifier (its insurer id or HCX participant code).
        public let payer: String
        /// The payer's name, if given.
        public let payerName: String?
        /// The member id on the policy (`Coverage.subscriberId`): what the payer looks the member up by.
        public let memberID: String
        /// The policy number (`Coverage.identifier`), if given.
        public let policyNumber: String?
        /// The patient's relationship to the subscriber (HL7 `subscriber-relationship`: `self`, `spouse`, `child`, …).
        public let relationship: String

        public init(payer: String, payerName: String?, memberID: String, policyNumber: String?, relationship: String) {
            self.payer = payer
            self.payerName = payerName
            self.memberID = memberID
            self.policyNumber = policyNumber
            self.relationship = relationship
        }
    }

    /// The billing provider (FHIR `Organization`).
    public struct Provider: Hashable, Sendable {
        /// The provider's identifier (e.g. its facility registry id).
        public let id: String
        /// The provider's name, if given.
        public let name: String?

        public init(id: String, name: String?) {
            self.id = id
            self.name = name
        }
    }

    /// A diagnosis (`Claim.diagnosis`), in the order given: the first is the principal one unless
    /// a type says otherwise.
    public struct Diagnosis: Hashable, Sendable {
        public let code: BillingCode
        /// HL7 `ex-diagnosistype`: `principal`, `admitting`, `secondary`, …
        public let type: String

        public init(code: BillingCode, type: String) {
            self.code = code
            self.type = type
        }
    }

    /// A procedure performed (`Claim.procedure`, ICD-10-PCS by default).
    public struct Procedure: Hashable, Sendable {
        public let code: BillingCode
        /// When it was performed, if given.
        public let date: ServiceDate?

        public init(code: BillingCode, date: ServiceDate?) {
            self.code = code
            self.date = date
        }
    }

    /// A charged service (`Claim.item`).
    public struct Service: Hashable, Sendable {
        /// What was done or supplied: a chargemaster, CPT, HCPCS or payer package code.
        public let code: BillingCode
        /// Billing modifiers (`Claim.item.modifier`), e.g. CPT `25` or HCPCS `GT`, in the order
        /// given: upper case, two characters each, at most four (X12 837P SV101-3…6).
        public let modifiers: [String]
        /// What a not-otherwise-classified code stands for (drug name, dose and route; the device):
        /// `Claim.item.productOrService.text`, X12 837P SV101-7; at most 80 characters.
        public let narrative: String?
        /// Units (`Claim.item.quantity`), greater than zero.
        public let units: Decimal
        /// Price of one unit in the encounter's currency (`Claim.item.unitPrice`).
        public let unitPrice: Money
        /// Date of the service within the service period, if given.
        public let date: ServiceDate?
        /// The diagnoses this line treats: 1-based positions in ``Encounter/diagnoses``
        /// (`Claim.item.diagnosisSequence`).
        public let diagnosisPointers: [Int]

        public init(
            code: BillingCode, modifiers: [String], narrative: String? = nil, units: Decimal, unitPrice: Money,
            date: ServiceDate?, diagnosisPointers: [Int]
        ) {
            self.code = code
            self.modifiers = modifiers
            self.narrative = narrative
            self.units = units
            self.unitPrice = unitPrice
            self.date = date
            self.diagnosisPointers = diagnosisPointers
        }

        /// The line's billed amount: unit price × units, rounded to the currency's minor unit.
        public var net: Money { unitPrice.multiplied(by: units) }
    }

    /// The provider's encounter id: the idempotency key of intake (with a digest of the claim built from it).
    public let id: String
    /// The claim's business identifier (`Claim.identifier`); by default the encounter id under
    /// ``defaultClaimIdentifierSystem``.
    public let claimIdentifier: ClaimIdentifier
    /// HL7 `claim-type`: `professional` (default), `institutional`, `oral`, `pharmacy`, `vision`.
    public let claimType: String
    public let patient: Patient
    public let coverage: Coverage
    public let provider: Provider
    /// The facility's time zone (IANA), in which the dates are local dates.
    public let facilityTimeZone: TimeZone
    /// First day of service (`Claim.billablePeriod.start`).
    public let serviceStart: ServiceDate
    /// Last day of service (`Claim.billablePeriod.end`), not before the start; the start when not given.
    public let serviceEnd: ServiceDate
    /// Diagnoses, at least one.
    public let diagnoses: [Diagnosis]
    /// Procedures performed (may be empty).
    public let procedures: [Procedure]
    /// Charged services, at least one, all in one currency.
    public let services: [Service]

    /// The identifier system of claims built from encounters that do not name one.
    public static let defaultClaimIdentifierSystem = "urn:rcm:encounter"

    public init(
        id: String, claimIdentifier: ClaimIdentifier, claimType: String, patient: Patient, coverage: Coverage,
        provider: Provider, facilityTimeZone: TimeZone, serviceStart: ServiceDate, serviceEnd: ServiceDate,
        diagnoses: [Diagnosis], procedures: [Procedure], services: [Service]
    ) {
        self.id = id
        self.claimIdentifier = claimIdentifier
        self.claimType = claimType
        self.patient = patient
        self.coverage = coverage
        self.provider = provider
        self.facilityTimeZone = facilityTimeZone
        self.serviceStart = serviceStart
        self.serviceEnd = serviceEnd
        self.diagnoses = diagnoses
        self.procedures = procedures
        self.services = services
    }

    /// The billed total: the sum of the services' amounts.
    /// - Throws: ``MoneyError`` when the services' currencies differ (the reader prevents it).
    public func billedTotal() throws -> Money {
        guard let first = services.first else { return .zero(.inr) }
        return try services.reduce(Money.zero(first.unitPrice.currency)) { try $0.adding($1.net) }
    }
}
