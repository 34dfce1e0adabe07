/// Which of a payer's cuts to a line the contract or the policy sets — the only reductions a net
/// collection rate takes off the charges (MGMA: adjusted charges = charges − contractual
/// adjustments; a denial, a patient's share or a missing document stays collectible).
public enum PayerReduction {
    /// Reason codes of contractual or policy reductions: X12 CARC 45 (charge exceeds the fee
    /// schedule or contracted fee) and 253 (sequestration), and the sandbox's policy limits of the
    /// member's cover (`over-line-limit`, `over-claim-limit`, `sum-insured-exhausted`).
    public static let contractualReasons: Set<String> = [
        "45", "253", "over-line-limit", "over-claim-limit", "sum-insured-exhausted",
    ]

    /// The contractual reduction of one adjudicated line: submitted − approved when the line was
    /// approved in part (0 < approved < submitted) and every reason given is contractual; zero
    /// otherwise (a line denied in full, or cut for any other reason, is a denial to work).
    public static func contractual(submitted: Money, approved: Money?, reasons: [String]) -> Money {
        let zero = Money.zero(submitted.currency)
        guard let approved, approved.currency == submitted.currency, approved.amount > 0,
            approved.amount < submitted.amount, !reasons.isEmpty,
            reasons.allSatisfy({ contractualReasons.contains($0.lowercased()) })
        else { return zero }
        return (try? submitted.subtracting(approved)) ?? zero
    }
}
