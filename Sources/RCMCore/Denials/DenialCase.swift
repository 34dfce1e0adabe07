import Foundation

/// A denied or stopped claim in the work queue: its category, next action, the amount at stake
/// and its age.
public struct DenialCase: Sendable, Hashable, Codable {
    public let claimID: ClaimID
    public let identifier: String
    /// `denied` (by the payer) or `rejected` (stopped before submission).
    public let outcome: ClaimOutcome
    public let category: DenialCategory
    public let nextAction: DenialAction
    /// The billed amount not approved (for a rejection: the whole claim).
    public let atStake: Money
    public let dateOfService: ServiceDate
    /// Days since the date of service, as of the queue's day.
    public let ageDays: Int
    /// The reasons the category was read from (payer codes or finding texts).
    public let reasons: [String]

    public init(
        claimID: ClaimID, identifier: String, outcome: ClaimOutcome, category: DenialCategory,
        nextAction: DenialAction, atStake: Money, dateOfService: ServiceDate, ageDays: Int, reasons: [String]
    ) {
        self.claimID = claimID
        self.identifier = identifier
        self.outcome = outcome
        self.category = category
        self.nextAction = nextAction
        self.atStake = atStake
        self.dateOfService = dateOfService
        self.ageDays = ageDays
        self.reasons = reasons
    }

    /// Classifies a claim.
    /// - Parameters:
    ///   - lineReasons: the payer's reason codes, per claim line.
    ///   - today: the queue's day (for the age).
    public static func classify(
        id: ClaimID, claim: Claim, outcome: ClaimOutcome, approved: Money?, lineReasons: [[String]], today: ServiceDate
    ) -> DenialCase {
        let (category, reasons) = DenialCategory.of(
            outcome: outcome, findings: claim.findings, lineReasons: lineReasons)
        let stake = (try? claim.billedTotal.subtracting(approved ?? .zero(claim.currency))) ?? claim.billedTotal
        // A claim stopped before submission was never decided by the payer: nothing to appeal.
        // Past the filing limit it is written off; otherwise it is corrected and resubmitted.
        var next = category.nextAction
        if outcome == .rejected, next == .appeal { next = category == .timelyFiling ? .writeOff : .correctAndResubmit }
        return DenialCase(
            claimID: id, identifier: claim.identifier.value, outcome: outcome, category: category,
            nextAction: next, atStake: stake, dateOfService: claim.dateOfService,
            ageDays: max(0, ServiceDate.days(from: claim.dateOfService, to: today)), reasons: reasons)
    }

    /// The outcomes that put a claim in the work queue: denied by the payer, or stopped before
    /// submission.
    public static let queueOutcomes: Set<ClaimOutcome> = [.denied, .rejected]

    /// The work queue's order: the most money first, then the oldest.
    public static func queueOrder(_ lhs: DenialCase, _ rhs: DenialCase) -> Bool {
        if lhs.atStake.amount != rhs.atStake.amount { return lhs.atStake.amount > rhs.atStake.amount }
        return lhs.ageDays > rhs.ageDays
    }
}
