/// A claim as RCM understands it after intake: who, what, when, how much — independent of the
/// wire format it arrived in (an HCX ClaimRequestBundle today).
public struct Claim: Hashable, Sendable, Codable {
    /// The submitter's business identifier (`Claim.identifier[0]`).
    public let identifier: ClaimIdentifier
    /// The FHIR `Claim.id` in the submitted bundle, if any.
    public let resourceID: String?
    /// Claim, pre-authorisation or pre-determination.
    public let use: ClaimUse
    /// The patient: the business identifier of the Patient the claim references (e.g. an MRN), or
    /// the reference as sent (`Claim.patient.reference`, e.g. `Patient/RVH1003`) when the bundle
    /// does not hold it.
    public let patientReference: String
    /// The payer: the insurer Organization's identifier (e.g. `GICOFINDIA`), or `Claim.insurer` as
    /// sent when the bundle does not hold it.
    public let payer: String
    /// The billing provider: its Organization's identifier (e.g. a facility id), or `Claim.provider` as sent.
    public let provider: String
    /// The date of service (see ``ServiceDate``).
    public let dateOfService: ServiceDate
    /// The diagnoses in the order sent (`Claim.diagnosis`).
    public let diagnoses: [BillingCode]
    /// The billed lines, renumbered 1…n.
    public let lines: [ClaimLine]
    /// The billed total: the sum of the lines' net amounts.
    public let billedTotal: Money
    /// Warnings raised while reading the claim (errors stop intake instead).
    public let findings: [ClaimFinding]

    /// Creates a claim.
    public init(
        identifier: ClaimIdentifier, resourceID: String?, use: ClaimUse, patientReference: String,
        payer: String, provider: String, dateOfService: ServiceDate, diagnoses: [BillingCode],
        lines: [ClaimLine], billedTotal: Money, findings: [ClaimFinding]
    ) {
        self.identifier = identifier
        self.resourceID = resourceID
        self.use = use
        self.patientReference = patientReference
        self.payer = payer
        self.provider = provider
        self.dateOfService = dateOfService
        self.diagnoses = diagnoses
        self.lines = lines
        self.billedTotal = billedTotal
        self.findings = findings
    }

    /// The same claim with one more finding.
    public func adding(_ finding: ClaimFinding) -> Claim {
        Claim(
            identifier: identifier, resourceID: resourceID, use: use, patientReference: patientReference, payer: payer,
            provider: provider, dateOfService: dateOfService, diagnoses: diagnoses, lines: lines,
            billedTotal: billedTotal, findings: findings + [finding])
    }

    /// The same claim with its parties named otherwise (by business identifier instead of
    /// bundle reference).
    public func identifying(patient: String, payer: String, provider: String) -> Claim {
        Claim(
            identifier: identifier, resourceID: resourceID, use: use, patientReference: patient, payer: payer,
            provider: provider, dateOfService: dateOfService, diagnoses: diagnoses, lines: lines,
            billedTotal: billedTotal, findings: findings)
    }

    /// The claim's currency (all lines share it; intake rejects mixed currencies).
    public var currency: CurrencyCode { billedTotal.currency }
}
