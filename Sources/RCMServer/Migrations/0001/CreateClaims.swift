import Fluent
import SQLKit

/// `claims` and `claim_lines`, with indexes for listing claims by outcome, payer and date of
/// service.
struct CreateClaims: AsyncMigration {
    var name: String { "0001_create_claims" }

    func prepare(on database: any Database) async throws {
        try await database.transaction { database in
            try await database.schema(ClaimModel.schema)
                .id()
                .field("intake_key", .string, .required)
                .field("identifier_system", .string)
                .field("identifier_value", .string, .required)
                .field("resource_id", .string)
                .field("use", .string, .required)
                .field("patient_reference", .string, .required)
                .field("payer", .string, .required)
                .field("provider", .string, .required)
                .field("date_of_service", .string, .required)
                .field("currency", .string, .required)
                .field("billed_total_minor", .int64, .required)
                .field("approved_total_minor", .int64)
                .field("outcome", .string, .required)
                .field("diagnoses", .string, .required)
                .field("findings", .string, .required)
                .field("bundle", .string, .required)
                .field("created_at", .datetime)
                .field("updated_at", .datetime)
                .unique(on: "intake_key")
                .ignoreExisting()
                .create()
            try await database.schema(ClaimLineModel.schema)
                .id()
                .field("claim_id", .uuid, .required, .references(ClaimModel.schema, "id", onDelete: .cascade))
                .field("sequence", .int, .required)
                .field("submitted_sequence", .int)
                .field("service_system", .string)
                .field("service_code", .string, .required)
                .field("service_display", .string)
                .field("quantity", .string, .required)
                .field("currency", .string, .required)
                .field("unit_price_minor", .int64, .required)
                .field("net_minor", .int64, .required)
                .field("approved_minor", .int64)
                .field("adjudication_reasons", .string)
                .unique(on: "claim_id", "sequence")
                .ignoreExisting()
                .create()
            try await SchemaIndex.create(on: database, table: ClaimModel.schema, columns: ["outcome"])
            try await SchemaIndex.create(on: database, table: ClaimModel.schema, columns: ["payer"])
            try await SchemaIndex.create(on: database, table: ClaimModel.schema, columns: ["date_of_service"])
        }
    }

    func revert(on database: any Database) async throws {
        try await database.transaction { database in
            try await database.schema(ClaimLineModel.schema).delete()
            try await database.schema(ClaimModel.schema).delete()
        }
    }
}
