import Fluent
import Foundation

/// A row of `payments`: one posted payment.
final class PaymentModel: Model, @unchecked Sendable {
    static let schema = "payments"

    @ID(key: .id) var id: UUID?
    /// The payer's payment identifier: the posting key.
    @Field(key: "payment_identifier") var paymentIdentifier: String
    @OptionalParent(key: "claim_id") var claim: ClaimModel?
    @Field(key: "amount_minor") var amountMinor: Int64
    @Field(key: "currency") var currency: String
    /// `YYYY-MM-DD`.
    @OptionalField(key: "payment_date") var paymentDate: String?
    @OptionalField(key: "kind") var kind: String?
    /// How the payer named the claim (`Claim/<id>` or its identifier).
    @OptionalField(key: "claim_reference") var claimReference: String?
    /// `hcx` or `manual`.
    @Field(key: "source") var source: String
    @Field(key: "posted_at") var postedAt: Date

    init() {}
}
