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

    /// Whether a later event may record `next` over this outcome — the one rule every store applies,
    /// since submissions, answers and payments can cross in time (HCX callbacks are asynchronous):
    /// - money posted stands: `paid` and `partiallyPaid` give way only to another payment outcome,
    ///   or to the payer's `denied` when its payment notice overtook the denial (a payment never
    ///   turns a denial into a payment, whichever came first; the payment stays posted, with an
    ///   `overpaid` warning);
    /// - a payer's decision or a rejection is not undone by a (re)submission: nothing but `pending`
    ///   is refused over `approved`, `partiallyApproved`, `denied` or `rejected`;
    /// - `pending` and `failed` give way to anything.
    public func admits(_ next: ClaimOutcome) -> Bool {
        switch self {
        case .paid, .partiallyPaid: [.paid, .partiallyPaid, .denied].contains(next)
        case .approved, .partiallyApproved, .denied, .rejected: next != .pending
        case .pending, .failed: true
        }
    }

    public static func < (lhs: ClaimOutcome, rhs: ClaimOutcome) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
