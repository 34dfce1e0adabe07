import Fluent

/// `payer_configs.transport` (`hcx` or `x12`; NULL, the rows before this migration, reads as
/// `hcx`) and, for X12 payers, `x12_receiver_id` (ISA08/GS03/1000B NM109), `x12_receiver_name`
/// (1000B NM103) and `x12_payer_id` (2010BB NM109) — issue 23. Nullable columns: nothing to backfill.
struct AddPayerTransport: AsyncMigration {
    var name: String { "0016_add_payer_transport" }

    func prepare(on database: any Database) async throws {
        try await database.transaction { database in
            for column in ["transport", "x12_receiver_id", "x12_receiver_name", "x12_payer_id"] {
                try await database.schema(PayerConfigModel.schema).field(.string(column), .string).update()
            }
        }
    }

    func revert(on database: any Database) async throws {
        try await database.transaction { database in
            for column in ["x12_payer_id", "x12_receiver_name", "x12_receiver_id", "transport"] {
                try await database.schema(PayerConfigModel.schema).deleteField(.string(column)).update()
            }
        }
    }
}
