import Fluent

/// `x12_submissions`: the X12 interchanges written for each claim (issue 23) — its control number
/// (integer key the database assigns in order: ISA13, GS06, ST02, a 270's trace number), the
/// claim and the kind (`837P` the claim, `270` its eligibility inquiry; unique together: one of
/// each per claim), the payer, the patient control number sent in CLM01 (indexed: an 835's CLP01
/// finds the claim by it) and when it was first written.
struct CreateX12Submissions: AsyncMigration {
    var name: String { "0017_create_x12_submissions" }

    func prepare(on database: any Database) async throws {
        try await database.schema(FluentX12SubmissionLog.schema)
            .field("control_number", .int64, .identifier(auto: true))
            .field("claim_id", .uuid, .required, .references(ClaimModel.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("payer", .string, .required)
            .field("patient_control_number", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "claim_id", "kind")
            .ignoreExisting()
            .create()
        try await SchemaIndex.create(
            on: database, table: FluentX12SubmissionLog.schema, columns: ["patient_control_number"])
    }

    func revert(on database: any Database) async throws {
        try await database.schema(FluentX12SubmissionLog.schema).delete()
    }
}
