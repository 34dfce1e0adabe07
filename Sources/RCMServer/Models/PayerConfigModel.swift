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
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}
