import Fluent

/// `eligibility_checks`: the payer's answer to each claim's eligibility question — in force or
/// not, outcome, disposition, error codes and benefits (JSON) — one per HCX cycle (correlation id
/// unique), indexed by claim.
struct CreateEligibilityChecks: AsyncMigration {
    var name: String { "0006_create_eligibility_checks" }

    func prepare(on database: any Database) async throws {
        try await database.transaction { database in
            try await database.schema(EligibilityCheckModel.schema)
                .id()
                .field("claim_id", .uuid, .required, .references(ClaimModel.schema, "id", onDelete: .cascade))
                .field("correlation_id", .string, .required)
                .field("in_force", .bool, .required)
                .field("outcome", .string, .required)
                .field("disposition", .string)
                .field("errors", .string, .required)
                .field("benefits", .string, .required)
                .field("checked_at", .datetime, .required)
                .unique(on: "correlation_id")
                .ignoreExisting()
                .create()
            try await SchemaIndex.create(on: database, table: EligibilityCheckModel.schema, columns: ["claim_id"])
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(EligibilityCheckModel.schema).delete()
    }
}
