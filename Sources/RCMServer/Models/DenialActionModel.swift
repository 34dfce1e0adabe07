import Fluent
import Foundation

/// A row of `denial_actions`: one action on a denied or stopped claim.
final class DenialActionModel: Model, @unchecked Sendable {
    static let schema = "denial_actions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "claim_id") var claim: ClaimModel
    /// A `DenialAction` raw value: `appeal`, `write_off`, `correct_and_resubmit`.
    @Field(key: "action") var action: String
    @Field(key: "reason") var reason: String
    @Field(key: "actor") var actor: String
    @Field(key: "at") var at: Date
    /// Written-off amount in minor units of `currency`.
    @OptionalField(key: "amount_minor") var amountMinor: Int64?
    @OptionalField(key: "currency") var currency: String?
    @OptionalField(key: "replacement_claim_id") var replacementClaimID: UUID?
    /// The claim id again, for actions that close it (unique: closed once); `nil` otherwise.
    @OptionalField(key: "closing_claim_id") var closingClaimID: UUID?

    init() {}
}
