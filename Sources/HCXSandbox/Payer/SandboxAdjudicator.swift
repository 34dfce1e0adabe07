import Foundation
import RCMCore

/// Applies ``SandboxRules`` to a claim.
struct SandboxAdjudicator: Sendable {
    let rules: SandboxRules

    func adjudicate(_ claim: Claim) throws -> ClaimAdjudication {
        let currency = claim.currency
        // The limit is in major units of the claim's currency, rounded to its minor unit.
        let limit = Money(rounding: rules.claimLimit, currency)
        var remaining = limit
        var lines: [ClaimAdjudication.Line] = []
        for line in claim.lines {
            let approved = try line.net.minimum(remaining.amount > 0 ? remaining : .zero(currency))
            remaining = try remaining.subtracting(approved)
            lines.append(
                .init(
                    sequence: line.sequence, submitted: line.net, approved: approved,
                    reasons: approved == line.net ? [] : [SandboxRules.overLimitReason]))
        }
        let approvedTotal = try lines.reduce(Money.zero(currency)) { try $0.adding($1.approved) }
        let outcome = try ClaimAdjudication.outcome(billed: claim.billedTotal, approved: approvedTotal)
        let disposition =
            switch outcome {
            case .approved: "Approved in full"
            case .denied: "Denied: the claim limit of \(limit) is used up"
            default: "Approved up to the claim limit of \(limit)"
            }
        return ClaimAdjudication(outcome: outcome, lines: lines, approvedTotal: approvedTotal, disposition: disposition)
    }
}
