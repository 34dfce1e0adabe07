import Foundation

/// The claim edits run before submission, beyond what intake already checks (one currency,
/// amounts = unit price × quantity, total = sum of lines, required references, renumbered
/// sequences): the date of service is not in the future, and the claim is not a duplicate of
/// another claim for the same patient, provider, payer and date of service with the same lines
/// (same codes, quantities and amounts) under another identifier — billing the same care twice.
public struct ClaimScrubber: Sendable {
    public init() {}

    /// The edits' findings for `claim`.
    /// - Parameters:
    ///   - today: the facility's current date (for the future-date edit).
    ///   - others: other claims for the same patient, provider, payer and date of service, with
    ///     their identifiers as stored.
    public func review(_ claim: Claim, today: ServiceDate, others: [(id: ClaimID, claim: Claim)]) -> [ClaimFinding] {
        var findings: [ClaimFinding] = []
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
