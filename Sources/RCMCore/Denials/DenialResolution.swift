import Foundation

/// What a biller did about a denied or stopped claim: appealed it, wrote it off, or corrected and
/// resubmitted it as a new claim that references this one (docs DESIGN.md §4, denial management).
///
/// A write-off and a resubmission close the claim's place in the denial work queue; an appeal
/// keeps it there, marked, until the payer answers or the biller closes it.
public struct DenialResolution: Sendable, Hashable, Codable {
    /// The action taken (one of ``DenialAction/appeal``, ``DenialAction/writeOff``,
    /// ``DenialAction/correctAndResubmit``).
    public let action: DenialAction
    /// The claim acted on.
    public let claimID: ClaimID
    /// Why, in the biller's words (required; for a write-off, e.g. "small balance", "timely filing missed").
    public let reason: String
    /// Who: `user:<email>`, `cli:<OS user>`.
    public let actor: String
    /// When (UTC).
    public let at: Date
    /// For a write-off: the amount written off (what was at stake).
    public let amount: Money?
    /// For a resubmission: the new claim.
    public let replacementClaimID: ClaimID?

    public init(
        action: DenialAction, claimID: ClaimID, reason: String, actor: String, at: Date, amount: Money? = nil,
        replacementClaimID: ClaimID? = nil
    ) {
        self.action = action
        self.claimID = claimID
        self.reason = reason
        self.actor = actor
        self.at = at
        self.amount = amount
        self.replacementClaimID = replacementClaimID
    }

    /// Whether this action takes the claim out of the work queue.
    public var closesClaim: Bool { action == .writeOff || action == .correctAndResubmit }
}

/// Why a denial action cannot be taken, in the biller's words.
public enum DenialResolutionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The claim is not denied or stopped (e.g. paid, or still pending).
    case notInQueue(ClaimID, outcome: String)
    /// The claim was already written off or resubmitted.
    case alreadyClosed(ClaimID, by: String)
    /// No reason was given.
    case reasonRequired

    public var description: String {
        switch self {
        case .notInQueue(let id, let outcome):
            "claim \(id) is \(outcome), not denied or stopped: only claims in the denial work queue can be acted on"
        case .alreadyClosed(let id, let action): "claim \(id) was already closed by \(action)"
        case .reasonRequired: "reason: give the reason for this action (1–500 characters)"
        }
    }
}
