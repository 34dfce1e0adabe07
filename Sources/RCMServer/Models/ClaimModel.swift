import Fluent
import Foundation

/// A row of `claims`: one claim as taken in, with its outcome. Money is stored exactly as
/// integer minor units plus an ISO 4217 currency.
final class ClaimModel: Model, @unchecked Sendable {
    static let schema = "claims"

    @ID(key: .id) var id: UUID?
    /// The idempotency key (see `ClaimIntakeKey`); unique.
    @Field(key: "intake_key") var intakeKey: String
    @OptionalField(key: "identifier_system") var identifierSystem: String?
    @Field(key: "identifier_value") var identifierValue: String
    /// `Claim.id` in the submitted bundle.
    @OptionalField(key: "resource_id") var resourceID: String?
    /// `claim`, `preauthorization` or `predetermination`.
    @Field(key: "use") var use: String
    @Field(key: "patient_reference") var patientReference: String
    @Field(key: "payer") var payer: String
    @Field(key: "provider") var provider: String
    /// ISO 8601 calendar date `YYYY-MM-DD` (text, so no time-zone conversion can shift it).
    @Field(key: "date_of_service") var dateOfService: String
    /// ISO 4217 code.
    @Field(key: "currency") var currency: String
    /// Billed total in minor units of `currency`.
    @Field(key: "billed_total_minor") var billedTotalMinor: Int64
    /// Approved total in minor units, once adjudicated.
    @OptionalField(key: "approved_total_minor") var approvedTotalMinor: Int64?
    /// A `ClaimOutcome` raw value.
    @Field(key: "outcome") var outcome: String
    /// Diagnoses as a JSON array of codes.
    @Field(key: "diagnoses") var diagnoses: String
    /// Findings as a JSON array.
    @Field(key: "findings") var findings: String
    /// The ClaimRequestBundle to send, as JSON text.
    @Field(key: "bundle") var bundle: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    @Children(for: \.$claim) var lines: [ClaimLineModel]

    init() {}
}
