import Fluent
import Foundation

/// A row of `payer_configs`: one payer's configuration.
final class PayerConfigModel: Model, @unchecked Sendable {
    static let schema = "payer_configs"

    @ID(key: .id) var id: UUID?
    /// The payer's identifier as claims name it (e.g. `GICOFINDIA`).
    @Field(key: "payer") var payer: String
    @OptionalField(key: "name") var name: String?
    /// Days from the date of service within which the payer accepts claims; `nil`: no limit.
    @OptionalField(key: "timely_filing_days") var timelyFilingDays: Int?
    /// Pre-authorisation threshold in minor units of `preauthCurrency`; `nil`: none.
    @OptionalField(key: "preauth_over_minor") var preauthOverMinor: Int64?
    @OptionalField(key: "preauth_currency") var preauthCurrency: String?
    /// Pre-authorised service codes, JSON array; `nil`: none.
    @OptionalField(key: "preauth_codes") var preauthCodes: String?
    /// `hcx` or `x12`; `nil` (rows from before migration 0016): `hcx`.
    @OptionalField(key: "transport") var transport: String?
    /// X12 payers: ISA08/GS03 and 1000B NM109, 1000B NM103, 2010BB NM109.
    @OptionalField(key: "x12_receiver_id") var x12ReceiverID: String?
    @OptionalField(key: "x12_receiver_name") var x12ReceiverName: String?
    @OptionalField(key: "x12_payer_id") var x12PayerID: String?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}
