import Fluent
import Foundation

/// A row of `eligibility_checks`: the payer's answer to one eligibility question.
final class EligibilityCheckModel: Model, @unchecked Sendable {
    static let schema = "eligibility_checks"

    @ID(key: .id) var id: UUID?
    @Parent(key: "claim_id") var claim: ClaimModel
    @Field(key: "correlation_id") var correlationID: String
    @Field(key: "in_force") var inForce: Bool
    /// `complete`, `partial`, `error` or `queued`.
    @Field(key: "outcome") var outcome: String
    @OptionalField(key: "disposition") var disposition: String?
    /// Error codes, JSON array.
    @Field(key: "errors") var errors: String
    /// Benefits, JSON (``RCMCore/EligibilityResult/Benefit`` list; money as minor-unit-exact decimals).
    @Field(key: "benefits") var benefits: String
    @Field(key: "checked_at") var checkedAt: Date

    init() {}
}
