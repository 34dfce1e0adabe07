import Foundation
import RCMCore

/// Applies ``SandboxRules`` to a claim, pre-authorisation or pre-determination.
///
/// Order, per the policy book: the whole claim is denied when the member is unknown, not active,
/// not covered on the date of service, or the claim is above ``SandboxRules/preauthRequiredOver``
/// without a pre-authorisation reference. Otherwise each line's *eligible* amount is its net
/// after exclusions, missing pre-authorisation and the per-line limit; the member's share is the
/// deductible (taken from lines in sequence order) plus the co-pay percentage of what is left
/// (rounded half-up to the minor unit); the *benefit* is eligible minus that share, finally capped
/// in sequence order by what remains of the sum insured and by the claim limit.
public struct SandboxAdjudicator: Sendable {
    /// The decision and what it consumed.
    public struct Decision: Sendable, Hashable {
        public let adjudication: ClaimAdjudication
        /// The member, when known.
        public let subscriberID: String?
        /// Benefit counted against the sum insured (zero for pre-authorisations and pre-determinations).
        public let consumed: Money
    }

    public let rules: SandboxRules

    public init(rules: SandboxRules) { self.rules = rules }

    /// Decides one claim.
    /// - Parameters:
    ///   - subscriberID: the claim's `Coverage.subscriberId`.
    ///   - preAuthRefs: `Claim.insurance.preAuthRef` values.
    ///   - usedBefore: benefit already paid to this member in the rules' currency.
    /// - Throws: ``SandboxRulesError`` when the claim's currency is not the rules' currency.
    public func adjudicate(
        _ claim: Claim, subscriberID: String?, preAuthRefs: [String], usedBefore: Money
    ) throws -> Decision {
        let currency = claim.currency
        guard currency.code == rules.currency.uppercased() else {
            throw SandboxRulesError("the claim is in \(currency.code); this payer pays in \(rules.currency)")
        }
        let zero = Money.zero(currency)
        let member = subscriberID.flatMap(rules.member)
        let hasPreauth = !preAuthRefs.isEmpty || claim.use != .claim
        if let reason = claimDenial(claim, member: member, hasPreauth: hasPreauth) {
            let lines = claim.lines.map {
                ClaimAdjudication.Line(
                    sequence: $0.sequence, submitted: $0.net, approved: zero, reasons: [reason], eligible: zero,
                    copay: zero)
            }
            return Decision(
                adjudication: ClaimAdjudication(
                    outcome: .denied, lines: lines, approvedTotal: zero, disposition: "Denied: \(reason)"),
                subscriberID: member?.subscriberID ?? subscriberID, consumed: zero)
        }
        guard let member else { preconditionFailure("claimDenial returns a reason for an unknown member") }

        var deductibleLeft = member.deductible?.money(currency) ?? zero
        var sumInsuredLeft = try member.sumInsured.money(currency).subtracting(usedBefore)
        if sumInsuredLeft.amount < 0 { sumInsuredLeft = zero }
        var claimLimitLeft = rules.claimLimit?.money(currency)
        let copayShare = (member.copayPercent?.value ?? 0) / 100
        var lines: [ClaimAdjudication.Line] = []
        for line in claim.lines {
            var reasons: [String] = []
            var eligible = line.net
            let rule = rules.service(line.service.code)
            if rule?.excluded == true {
                eligible = zero
                reasons.append(SandboxReason.excludedService)
            } else if rule?.preauthRequired == true, !hasPreauth {
                eligible = zero
                reasons.append(SandboxReason.preauthRequired)
            } else if let limit = rule?.maxPerLine?.money(currency), limit.amount < eligible.amount {
                eligible = limit
                reasons.append(SandboxReason.overLineLimit)
            }
            let deductible = try eligible.minimum(deductibleLeft)
            deductibleLeft = try deductibleLeft.subtracting(deductible)
            let afterDeductible = try eligible.subtracting(deductible)
            let copay = afterDeductible.multiplied(by: copayShare)
            let memberShare = try deductible.adding(copay)
            var benefit = try eligible.subtracting(memberShare)
            if !memberShare.isZero { reasons.append(SandboxReason.memberShare) }
            if benefit.amount > sumInsuredLeft.amount {
                benefit = sumInsuredLeft
                reasons.insert(SandboxReason.sumInsuredExhausted, at: 0)
            }
            if let left = claimLimitLeft, benefit.amount > left.amount {
                benefit = left
                reasons.insert(SandboxReason.overClaimLimit, at: 0)
            }
            sumInsuredLeft = try sumInsuredLeft.subtracting(benefit)
            claimLimitLeft = try claimLimitLeft?.subtracting(benefit)
            lines.append(
                .init(
                    sequence: line.sequence, submitted: line.net, approved: benefit, reasons: reasons,
                    eligible: eligible, copay: memberShare))
        }
        let approved = try lines.reduce(zero) { try $0.adding($1.approved) }
        let outcome = try ClaimAdjudication.outcome(billed: claim.billedTotal, approved: approved)
        let disposition =
            switch outcome {
            case .approved: "Approved in full"
            case .denied: "Denied: nothing payable under the policy"
            default: "Approved \(approved) of \(claim.billedTotal)"
            }
        return Decision(
            adjudication: ClaimAdjudication(
                outcome: outcome, lines: lines, approvedTotal: approved, disposition: disposition),
            subscriberID: member.subscriberID, consumed: claim.use == .claim ? approved : zero)
    }

    /// Why the whole claim is denied, if it is.
    private func claimDenial(_ claim: Claim, member: SandboxRules.Member?, hasPreauth: Bool) -> String? {
        guard let member else { return SandboxReason.memberUnknown }
        if let reason = coverageProblem(member, on: claim.dateOfService) { return reason }
        if let threshold = rules.preauthRequiredOver?.money(claim.currency),
            claim.billedTotal.amount > threshold.amount, !hasPreauth
        {
            return SandboxReason.preauthRequired
        }
        return nil
    }

    /// Why a member is not covered on a date, if they are not.
    public func coverageProblem(_ member: SandboxRules.Member, on date: ServiceDate) -> String? {
        guard member.status.caseInsensitiveCompare("active") == .orderedSame else {
            return SandboxReason.coverageInactive
        }
        if date < member.coverageStart || member.coverageEnd.map({ $0 < date }) == true {
            return SandboxReason.notCoveredOnDate
        }
        return nil
    }
}
