import Fluent
import SQLKit
import Testing
import Vapor

@testable import RCMServer

@Suite(.serialized) struct MigrationTests {
    @Test(arguments: TestDatabase.available)
    func upDownUp(_ kind: TestDatabase) async throws {
        try await kind.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                let names = RCMMigrations.names
                #expect(
                    names == [
                        "0001_create_claims", "0002_create_workflow_tables", "0003_create_hcx_messages",
                        "0004_add_workflow_leases_and_logs", "0005_create_payments", "0006_create_eligibility_checks",
                        "0007_create_security_tables", "0008_create_denial_actions", "0009_create_payer_configs",
                        "0010_add_workflow_queue_index", "0011_add_claim_list_index",
                        "0012_create_console_sessions", "0013_create_analytics_summary",
                        "0014_add_claim_lookup_indexes", "0015_add_denial_queue_columns", "0016_add_payer_transport",
                        "0017_create_x12_submissions", "0018_create_x12_remittances",
                    ])
                #expect(try await MigrationStatus.read(on: app.db).pending == names)

                try await app.autoMigrate()
                var status = try await MigrationStatus.read(on: app.db)
                #expect(status.pending.isEmpty)
                #expect(status.entries.map(\.batch) == Array(repeating: 1, count: 18))
                #expect(try await tableCount(app) == 23)
                #expect(try await hasIndex("workflow_state_due_idx", app))
                #expect(try await hasIndex("claims_denial_queue_idx", app))
                #expect(try await hasIndex("claims_created_at_id_idx", app))

                try await app.migrator.revertLastBatch().get()
                status = try await MigrationStatus.read(on: app.db)
                #expect(status.pending == names)
                #expect(try await tableCount(app) == 0)
                #expect(try await hasIndex("workflow_state_due_idx", app) == false)

                try await app.autoMigrate()
                status = try await MigrationStatus.read(on: app.db)
                #expect(status.pending.isEmpty)
                #expect(try await tableCount(app) == 23)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func revertRollsBackOnlyTheLastBatch(_ kind: TestDatabase) async throws {
        try await kind.withFreshDatabase { configuration in
            // An older release knew only the first migration: it applies batch 1.
            let older = try await Application.make(.testing)
            do {
                try configureDatabase(older, configuration.database)
                older.migrations.add(RCMMigrations.all[0])
                try await older.autoMigrate()
                try await older.asyncShutdown()
            } catch {
                try? await older.asyncShutdown()
                throw error
            }
            // This release applies the rest as batch 2; reverting undoes batch 2 only.
            try await TestDatabase.withApp(configuration) { app in
                try await app.autoMigrate()
                var status = try await MigrationStatus.read(on: app.db)
                #expect(status.entries.map(\.batch) == [1] + Array(repeating: 2, count: 17))
                try await app.migrator.revertLastBatch().get()
                status = try await MigrationStatus.read(on: app.db)
                #expect(
                    status.entries.map(\.batch) == [1] + Array(repeating: nil, count: 17))
                #expect(
                    status.pending == [
                        "0002_create_workflow_tables", "0003_create_hcx_messages", "0004_add_workflow_leases_and_logs",
                        "0005_create_payments", "0006_create_eligibility_checks", "0007_create_security_tables",
                        "0008_create_denial_actions", "0009_create_payer_configs", "0010_add_workflow_queue_index",
                        "0011_add_claim_list_index", "0012_create_console_sessions", "0013_create_analytics_summary",
                        "0014_add_claim_lookup_indexes", "0015_add_denial_queue_columns", "0016_add_payer_transport",
                        "0017_create_x12_submissions", "0018_create_x12_remittances",
                    ])
                #expect(try await tableCount(app) == 2)
            }
        }
    }

    /// Number of RCM tables present (of the twenty-three the migrations create).
    private func tableCount(_ app: Application) async throws -> Int {
        let sql = app.db as! any SQLDatabase
        let tables = [
            "claims", "claim_lines", "workflow_state", "workflow_steps", "workflow_events", "hcx_messages",
            "workflow_logs", "payments", "eligibility_checks", "users", "user_roles", "refresh_tokens", "api_keys",
            "audit_logs", "denial_actions", "payer_configs", "analytics_pending", "analytics_claims", "analytics_daily",
            "analytics_denials", "x12_submissions", "x12_remittances", "x12_remittance_claims",
        ]
        var count = 0
        for table in tables {
            do {
                try await sql.raw("SELECT COUNT(*) FROM \(ident: table)").run()
                count += 1
            } catch {}
        }
        return count
    }

    /// Whether an index of this name exists (SQLite's catalogue or PostgreSQL's).
    private func hasIndex(_ name: String, _ app: Application) async throws -> Bool {
        let sql = app.db as! any SQLDatabase
        let query: SQLQueryString =
            sql.dialect.name == "postgresql"
            ? "SELECT indexname FROM pg_indexes WHERE indexname = \(bind: name)"
            : "SELECT name FROM sqlite_master WHERE type = 'index' AND name = \(bind: name)"
        return try await sql.raw(query).first() != nil
    }
}
