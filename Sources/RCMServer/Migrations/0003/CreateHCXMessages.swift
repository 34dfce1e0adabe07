import Fluent

/// `hcx_messages`: the raw HCX envelopes in and out, unique per direction and `api_call_id`
/// (duplicate deliveries are recorded once), indexed by `api_call_id`, `correlation_id` and claim.
/// Inbound messages carry when they were processed, so that a crash between receipt and
/// processing is recovered at the next start.
struct CreateHCXMessages: AsyncMigration {
    var name: String { "0003_create_hcx_messages" }

    func prepare(on database: any Database) async throws {
        try await database.transaction { database in
            try await database.schema(HCXMessageModel.schema)
                .id()
                .field("direction", .string, .required)
                .field("operation", .string, .required)
                .field("api_call_id", .string, .required)
                .field("correlation_id", .string, .required)
                .field("workflow_id", .string)
                .field("sender_code", .string, .required)
                .field("recipient_code", .string, .required)
                .field("claim_id", .uuid, .references(ClaimModel.schema, "id", onDelete: .setNull))
                .field("body", .string, .required)
                .field("acknowledgement", .string)
                .field("processed_at", .datetime)
                .field("processing_error", .string)
                .field("created_at", .datetime, .required)
                .unique(on: "direction", "api_call_id")
                .ignoreExisting()
                .create()
            try await SchemaIndex.create(on: database, table: HCXMessageModel.schema, columns: ["api_call_id"])
            try await SchemaIndex.create(on: database, table: HCXMessageModel.schema, columns: ["correlation_id"])
            try await SchemaIndex.create(on: database, table: HCXMessageModel.schema, columns: ["claim_id"])
        }
    }

    func revert(on database: any Database) async throws {
        try await database.transaction { database in
            try await database.schema(HCXMessageModel.schema).delete()
        }
    }
}
