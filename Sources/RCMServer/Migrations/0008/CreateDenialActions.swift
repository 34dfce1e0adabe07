import Fluent

/// `denial_actions`: what billers did about denied and stopped claims — appeal, write-off (with
/// the amount), resubmission (with the new claim) — with reason, actor and time. `closing_claim_id`
/// is set only for actions that close the claim, and is unique: a claim is closed once.
struct CreateDenialActions: AsyncMigration {
    var name: String { "0008_create_denial_actions" }

    func prepare(on database: any Database) async throws {
        try await database.transaction { database in
            try await database.schema(DenialActionModel.schema)
                .id()
                .field("claim_id", .uuid, .required, .references(ClaimModel.schema, "id", onDelete: .cascade))
                .field("action", .string, .required)
                .field("reason", .string, .required)
                .field("actor", .string, .required)
                .field("at", .datetime, .required)
                .field("amount_minor", .int64)
                .field("currency", .string)
                .field("replacement_claim_id", .uuid)
                .field("closing_claim_id", .uuid)
                .unique(on: "closing_claim_id")
                .ignoreExisting()
                .create()
            try await SchemaIndex.create(on: database, table: DenialActionModel.schema, columns: ["claim_id"])
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DenialActionModel.schema).delete()
    }
}
