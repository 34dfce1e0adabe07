import Fluent

/// `payments`: money a payer paid, posted once per payment identifier (unique), matched to a claim
/// (or not yet: `claim_id` null is the unmatched queue), in integer minor units plus currency.
struct CreatePayments: AsyncMigration {
    var name: String { "0005_create_payments" }

    func prepare(on database: any Database) async throws {
        try await database.transaction { database in
            try await database.schema(PaymentModel.schema)
                .id()
                .field("payment_identifier", .string, .required)
                .field("claim_id", .uuid, .references(ClaimModel.schema, "id", onDelete: .setNull))
                .field("amount_minor", .int64, .required)
                .field("currency", .string, .required)
                .field("payment_date", .string)
                .field("kind", .string)
                .field("claim_reference", .string)
                .field("source", .string, .required)
                .field("posted_at", .datetime, .required)
                .unique(on: "payment_identifier")
                .ignoreExisting()
                .create()
            try await SchemaIndex.create(on: database, table: PaymentModel.schema, columns: ["claim_id"])
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PaymentModel.schema).delete()
    }
}
