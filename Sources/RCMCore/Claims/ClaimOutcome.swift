/// Where a claim stands, as the billing office sees it (docs DESIGN.md §4).
public enum ClaimOutcome: String, Sendable, Codable, CaseIterable, Comparable {
    /// Waiting on the payer (submitted, no adjudication yet), or not yet submitted.
    case pending
    /// Adjudicated: every line approved in full; payment not yet posted.
    case approved
    /// Adjudicated: some amount approved, less than billed; payment not yet posted.
    case partiallyApproved = "partially_approved"
    /// Adjudicated with nothing approved; carries a category and next action.
    case denied
    /// Stopped before submission by intake, eligibility, coding or scrub findings.
    case rejected
    /// Payment posted in full.
    case paid
    /// Payment posted for part of the billed amount.
    case partiallyPaid = "partially_paid"
    /// A technical failure; the claim's workflow can be resumed.
    case failed

    public static func < (lhs: ClaimOutcome, rhs: ClaimOutcome) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
