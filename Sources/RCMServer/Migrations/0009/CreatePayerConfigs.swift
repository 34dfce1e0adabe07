import Fluent

/// `payer_configs`: per payer (by the identifier claims name it with, unique), its display name,
/// timely-filing limit in days (nullable: no limit), pre-authorisation threshold (minor units +
/// currency) and pre-authorised service codes (JSON array).
struct CreatePayerConfigs: AsyncMigration {
    var name: String { "0009_create_payer_configs" }

    func prepare(on database: any Database) async throws {
        try await database.schema(PayerConfigModel.schema)
            .id()
            .field("payer", .string, .required)
            .field("name", .string)
            .field("timely_filing_days", .int)
            .field("preauth_over_minor", .int64)
            .field("preauth_currency", .string)
            .field("preauth_codes", .string)
            .field("updated_at", .datetime)
            .unique(on: "payer")
            .ignoreExisting()
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PayerConfigModel.schema).delete()
    }
}
