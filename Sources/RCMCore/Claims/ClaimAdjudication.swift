/// A payer's decision on a claim: what it approved per line and in total, and why.
///
/// Read from an HCX ClaimResponse (FHIR R4 `ClaimResponse.item.adjudication`, categories
/// `submitted`, `eligible`, `copay` and `benefit` from the `adjudication` code system).
public struct ClaimAdjudication: Hashable, Sendable, Codable {
    /// The decision on one line.
    public struct Line: Hashable, Sendable, Codable {
        /// The claim line's ``ClaimLine/sequence``.
        public let sequence: Int
        /// Amount billed on the line.
        public let submitted: Money
        /// Amount the payer approved (benefit).
        public let approved: Money
        /// The payer's reasons for approving less than billed, as short labels.
        public let reasons: [String]
        /// The part of the billed amount the policy covers before cost sharing (FHIR adjudication
        /// category `eligible`), when the payer states it.
        public let eligible: Money?
        /// The patient's share the payer deducted (co-pay and deductible; FHIR category `copay`),
        /// when the payer states it.
        public let copay: Money?

        /// Creates a line decision.
        public init(
            sequence: Int, submitted: Money, approved: Money, reasons: [String], eligible: Money? = nil,
            copay: Money? = nil
        ) {
            self.sequence = sequence
            self.submitted = submitted
            self.approved = approved
            self.reasons = reasons
            self.eligible = eligible
            self.copay = copay
        }
    }

    /// Approved, partially approved or denied.
    public let outcome: ClaimOutcome
    /// Per-line decisions.
    public let lines: [Line]
    /// Total approved (benefit) across lines.
    public let approvedTotal: Money
    /// The payer's summary (`ClaimResponse.disposition`), if any.
    public let disposition: String?
    /// For an answered pre-authorisation: the payer's reference to quote on the claim
    /// (`ClaimResponse.preAuthRef` → `Claim.insurance.preAuthRef`).
    public let preAuthRef: String?

    /// Creates an adjudication.
    public init(
        outcome: ClaimOutcome, lines: [Line], approvedTotal: Money, disposition: String?, preAuthRef: String? = nil
    ) {
        self.preAuthRef = preAuthRef
        self.outcome = outcome
        self.lines = lines
        self.approvedTotal = approvedTotal
        self.disposition = disposition
    }

    /// The outcome implied by the amounts: all billed approved → approved, some → partially
    /// approved, none → denied.
    /// - Throws: ``MoneyError/currencyMismatch(_:_:)`` when the two amounts differ in currency.
    public static func outcome(billed: Money, approved: Money) throws -> ClaimOutcome {
        let remaining = try billed.subtracting(approved)
        if approved.isZero { return .denied }
        return remaining.amount > 0 ? .partiallyApproved : .approved
    }
}
