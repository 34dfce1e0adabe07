import Foundation
import RCMCore

/// Where eligibility answers are kept (`eligibility_checks`). Implemented over Fluent in `RCMServer`.
public protocol EligibilityLog: Sendable {
    /// Records the payer's answer for a claim's eligibility cycle (once per correlation id).
    func record(_ result: EligibilityResult, claimID: ClaimID, correlationID: String, at date: Date) async throws
}
