import Fluent
import Foundation

/// A row of `claim_lines`: one billed line of a claim, with the payer's approved amount.
final class ClaimLineModel: Model, @unchecked Sendable {
    static let schema = "claim_lines"

    @ID(key: .id) var id: UUID?
    @Parent(key: "claim_id") var claim: ClaimModel
    /// RCM's line number, 1…n.
    @Field(key: "sequence") var sequence: Int
    /// The `item.sequence` the submitter sent.
    @OptionalField(key: "submitted_sequence") var submittedSequence: Int?
    @OptionalField(key: "service_system") var serviceSystem: String?
    @Field(key: "service_code") var serviceCode: String
    @OptionalField(key: "service_display") var serviceDisplay: String?
    /// Decimal quantity as text (exact).
    @Field(key: "quantity") var quantity: String
    @Field(key: "currency") var currency: String
    @Field(key: "unit_price_minor") var unitPriceMinor: Int64
    @Field(key: "net_minor") var netMinor: Int64
    @OptionalField(key: "approved_minor") var approvedMinor: Int64?
    /// The payer's reasons as a JSON array of labels.
    @OptionalField(key: "adjudication_reasons") var adjudicationReasons: String?

    init() {}
}
