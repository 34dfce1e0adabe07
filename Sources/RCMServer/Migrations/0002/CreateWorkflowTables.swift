import Fluent

/// `workflow_state`, `workflow_steps` and `workflow_events`, with indexes for finding runs by
/// status and next run time, and steps waiting on an event.
struct CreateWorkflowTables: AsyncMigration {
    var name: String { "0002_create_workflow_tables" }

    func prepare(on database: any Database) async throws {
        try await database.transaction { database in
            try await database.schema(WorkflowStateModel.schema)
                .field("id", .string, .identifier(auto: false))
                .field("definition", .string, .required)
                .field("status", .string, .required)
                .field("input", .string, .required)
                .field("current_step", .string)
                .field("last_error", .string)
                .field("next_run_at", .datetime)
                .field("created_at", .datetime, .required)
                .field("updated_at", .datetime, .required)
                .ignoreExisting()
                .create()
            try await database.schema(WorkflowStepModel.schema)
                .id()
                .field(
                    "workflow_id", .string, .required, .references(WorkflowStateModel.schema, "id", onDelete: .cascade)
                )
                .field("name", .string, .required)
                .field("position", .int, .required)
                .field("status", .string, .required)
                .field("attempts", .int, .required)
                .field("output", .string)
                .field("last_error", .string)
                .field("wait_key", .string)
                .field("wait_deadline", .datetime)
                .field("started_at", .datetime)
                .field("finished_at", .datetime)
                .unique(on: "workflow_id", "name")
                .ignoreExisting()
                .create()
            try await database.schema(WorkflowEventModel.schema)
                .id()
                .field("event_key", .string, .required)
                .field("payload", .string, .required)
                .field("received_at", .datetime, .required)
                .unique(on: "event_key")
                .ignoreExisting()
                .create()
            try await SchemaIndex.create(
                on: database, table: WorkflowStateModel.schema, columns: ["status", "next_run_at"])
            try await SchemaIndex.create(on: database, table: WorkflowStepModel.schema, columns: ["wait_key"])
        }
    }

    func revert(on database: any Database) async throws {
        try await database.transaction { database in
            try await database.schema(WorkflowEventModel.schema).delete()
            try await database.schema(WorkflowStepModel.schema).delete()
            try await database.schema(WorkflowStateModel.schema).delete()
        }
    }
}
