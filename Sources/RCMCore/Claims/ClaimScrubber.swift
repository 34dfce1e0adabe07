import Foundation

/// The claim edits run before submission, beyond what intake already checks (one currency,
/// amounts = unit price × quantity, total = sum of lines, required references, renumbered
/// sequences, diagnosis pointers): the timely-filing limit, when the payer's configuration sets
/// one (days from the date of service to today); the date of service is not in the future; and the claim is not a duplicate of
/// another claim for the same patient, provider, payer and date of service with the same lines
/// (same codes, quantities and amounts) under another identifier — billing the same care twice.
public struct ClaimScrubber: Sendable {
    public init() {}

    /// The edits' findings for `claim`.
    /// - Parameters:
    ///   - today: the facility's current date (for the future-date edit).
    ///   - others: other claims for the same patient, provider, payer and date of service, with
    ///     their identifiers as stored.
    ///   - payer: the payer's configuration, if the billing office set one (its timely-filing limit).
    public func review(
        _ claim: Claim, today: ServiceDate, others: [(id: ClaimID, claim: Claim)], payer: PayerConfiguration? = nil
    ) -> [ClaimFinding] {
        var findings: [ClaimFinding] = []
        if let limit = payer?.timelyFilingDays, claim.use == .claim {
            let age = ServiceDate.days(from: claim.dateOfService, to: today)
            if age > limit {
                findings.append(
                    ClaimFinding(
                        .error, field: "Claim.billablePeriod",
                        "timely filing: \(age) days after the date of service \(claim.dateOfService), past "
                            + "\(payer?.name ?? claim.payer)'s limit of \(limit) days (payer configuration): the payer "
                            + "would deny it as late; appeal with proof of earlier filing, or write it off"))
            }
        }
        if claim.dateOfService > today {
            findings.append(
                ClaimFinding(
                    .error, field: "Claim.billablePeriod",
                    "the date of service \(claim.dateOfService) is after today (\(today)): bill care once it was given")
            )
        }
        let signature = Self.signature(claim)
        for other in others where other.claim.identifier != claim.identifier && Self.signature(other.claim) == signature
        {
            findings.append(
                ClaimFinding(
                    .error, field: "Claim",
                    "duplicate of claim \(other.id) (\(other.claim.identifier.value)): same patient, provider, payer, "
                        + "date of service and lines; if this corrects it, send a corrected claim referencing that one")
            )
        }
        return findings
    }

    /// What makes two claims the same care: patient, provider, payer, date and the lines' codes,
    /// quantities and amounts (in any order).
    static func signature(_ claim: Claim) -> [String] {
        [claim.patientReference, claim.provider, claim.payer, claim.dateOfService.description]
            + claim.lines.map { "\($0.service.code)|\($0.quantity)|\($0.net)" }.sorted()
    }
}
