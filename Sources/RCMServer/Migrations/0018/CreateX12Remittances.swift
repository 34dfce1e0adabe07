import Fluent

/// The 835 remittances posted (issue 23), kept whole beside the payments they posted:
///
/// - `x12_remittances`: one per check or EFT — the payer (TRN03, else the N1*PR name) and trace
///   number (TRN02), unique together: the same 835 read twice posts once; BPR's amount (exact
///   decimal text), currency, method and date; the provider-level adjustments (PLB, JSON: never
///   spread over claims); the file it came in and when it was posted.
/// - `x12_remittance_claims`: one per CLP — the claim it matched (NULL: none), CLP01, the status
///   code, charge, payment and patient responsibility (decimal text), the payer's claim control
///   number, and every CAS adjustment, claim-level and per billed line, with group code, CARC,
///   amount and quantity (JSON).
struct CreateX12Remittances: AsyncMigration {
    var name: String { "0018_create_x12_remittances" }

    func prepare(on database: any Database) async throws {
        try await database.transaction { database in
            try await database.schema(FluentX12RemittanceLog.remittances)
                .id()
                .field("payer_key", .string, .required)
                .field("trace_number", .string, .required)
                .field("payer_name", .string, .required)
                .field("payment_amount", .string, .required)
                .field("currency", .string, .required)
                .field("payment_method", .string, .required)
                .field("payment_date", .string, .required)
                .field("provider_adjustments", .string, .required)
                .field("file_name", .string, .required)
                .field("posted_at", .datetime, .required)
                .unique(on: "payer_key", "trace_number")
                .ignoreExisting()
                .create()
            try await database.schema(FluentX12RemittanceLog.claims)
                .id()
                .field(
                    "remittance_id", .uuid, .required,
                    .references(FluentX12RemittanceLog.remittances, "id", onDelete: .cascade)
                )
                .field("claim_id", .uuid, .references(ClaimModel.schema, "id", onDelete: .setNull))
                .field("patient_control_number", .string, .required)
                .field("status", .string, .required)
                .field("charge", .string, .required)
                .field("paid", .string, .required)
                .field("patient_responsibility", .string)
                .field("payer_claim_control_number", .string)
                .field("adjustments", .string, .required)
                .ignoreExisting()
                .create()
            try await SchemaIndex.create(on: database, table: FluentX12RemittanceLog.claims, columns: ["claim_id"])
        }
    }

    func revert(on database: any Database) async throws {
        try await database.transaction { database in
            try await database.schema(FluentX12RemittanceLog.claims).delete()
            try await database.schema(FluentX12RemittanceLog.remittances).delete()
        }
    }
}
