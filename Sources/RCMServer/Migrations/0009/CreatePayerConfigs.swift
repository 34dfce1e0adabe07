import Fluent

/// `payer_configs`: per payer (by the identifier claims name it with, unique), its display name
/// and timely-filing limit in days (nullable: no limit).
struct CreatePayerConfigs: AsyncMigration {
    var name: String { "0009_create_payer_configs" }

    func prepare(on database: any Database) async throws {
        try await database.schema(PayerConfigModel.schema)
            .id()
            .field("payer", .string, .required)
            .field("name", .string)
            .field("timely_filing_days", .int)
            .field("updated_at", .datetime)
            .unique(on: "payer")
            .ignoreExisting()
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PayerConfigModel.schema).delete()
    }
}
