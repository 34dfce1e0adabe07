import Fluent

/// Leases and retries on workflows, and their audit trail: `workflow_state.lease_owner` and
/// `lease_expires_at` (which worker advances a run, until when), `workflow_steps.next_attempt_at`
/// and `duration_ms`, and `workflow_logs` (one row per transition, indexed by workflow).
/// One column per `ALTER TABLE`, as SQLite requires; the whole migration is one transaction.
struct AddWorkflowLeasesAndLogs: AsyncMigration {
    var name: String { "0004_add_workflow_leases_and_logs" }

    func prepare(on database: any Database) async throws {
        try await database.transaction { database in
            try await database.schema(WorkflowStateModel.schema).field("lease_owner", .string).update()
            try await database.schema(WorkflowStateModel.schema).field("lease_expires_at", .datetime).update()
            try await database.schema(WorkflowStepModel.schema).field("next_attempt_at", .datetime).update()
            try await database.schema(WorkflowStepModel.schema).field("duration_ms", .int).update()
            try await database.schema(WorkflowLogModel.schema)
                .field("id", .int, .identifier(auto: true))
                .field(
                    "workflow_id", .string, .required, .references(WorkflowStateModel.schema, "id", onDelete: .cascade)
                )
                .field("step", .string)
                .field("from_status", .string)
                .field("to_status", .string, .required)
                .field("message", .string)
                .field("actor", .string, .required)
                .field("created_at", .datetime, .required)
                .ignoreExisting()
                .create()
            try await SchemaIndex.create(on: database, table: WorkflowLogModel.schema, columns: ["workflow_id"])
        }
    }

    func revert(on database: any Database) async throws {
        try await database.transaction { database in
            try await database.schema(WorkflowLogModel.schema).delete()
            try await database.schema(WorkflowStepModel.schema).deleteField("duration_ms").update()
            try await database.schema(WorkflowStepModel.schema).deleteField("next_attempt_at").update()
            try await database.schema(WorkflowStateModel.schema).deleteField("lease_expires_at").update()
            try await database.schema(WorkflowStateModel.schema).deleteField("lease_owner").update()
        }
    }
}
