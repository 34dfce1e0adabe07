import FluentPostgresDriver
import Foundation
import Workflow

/// PostgreSQL: a workflow run and its steps in one round trip, as a prepared statement of constant
/// text — what a worker reads for each run it leased (see ``WorkflowTransitionStatement`` for
/// why prepared and typed). One row per step, ordered by position, each carrying the run's columns; a
/// run without steps gives one row with the step's columns null.
///
/// It runs after the lease is committed, never in the statement that takes it: a statement reads
/// from its snapshot, while the row it locks is the newest version, so a lease-taking statement
/// could return a run saved by the previous holder with the steps as they were before that save.
struct WorkflowRunStatement: PostgresPreparedStatement {
    typealias Row = (workflow: WorkflowRecord, step: StepRecord?)

    /// A fixed name (see ``WorkflowTransitionStatement/name``).
    static let name = "rcm.workflow.run"

    static let sql = """
        SELECT w.id, w.definition, w.status, w.input, w.current_step, w.last_error, w.next_run_at, w.lease_owner,
          w.lease_expires_at, w.created_at, w.updated_at,
          s.name, s.position, s.status AS step_status, s.attempts, s.output, s.last_error AS step_last_error,
          s.wait_key, s.wait_deadline, s.started_at, s.finished_at, s.next_attempt_at, s.duration_ms
        FROM workflow_state w LEFT JOIN workflow_steps s ON s.workflow_id = w.id
        WHERE w.id = $1 ORDER BY s.position
        """

    static let bindingDataTypes: [PostgresDataType] = [.text]

    let id: WorkflowID

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(id.rawValue)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        let columns = row.makeRandomAccess()
        func value<T: PostgresDecodable>(_ name: String, as type: T.Type = T.self) throws -> T {
            try columns[name].decode(T.self)
        }
        let status = try value("status", as: String.self)
        let workflow = WorkflowRecord(
            id: WorkflowID(try value("id")), definition: try value("definition"),
            status: try StoredDataError.require(WorkflowStatus(rawValue: status), "workflow_state.status", status),
            input: Data(try value("input", as: String.self).utf8), currentStep: try value("current_step"),
            lastError: try value("last_error"), nextRunAt: try value("next_run_at"),
            leaseOwner: try value("lease_owner"),
            leaseExpiresAt: try value("lease_expires_at"), createdAt: try value("created_at"),
            updatedAt: try value("updated_at"))
        guard let name = try value("name", as: String?.self) else { return (workflow, nil) }
        var step = StepRecord(workflowID: workflow.id, name: name, position: try value("position"))
        let stepStatus = try value("step_status", as: String.self)
        step.status = try StoredDataError.require(StepStatus(rawValue: stepStatus), "workflow_steps.status", stepStatus)
        step.attempts = try value("attempts")
        step.output = try value("output", as: String?.self).map { Data($0.utf8) }
        step.lastError = try value("step_last_error")
        step.waitKey = try value("wait_key")
        step.waitDeadline = try value("wait_deadline")
        step.startedAt = try value("started_at")
        step.finishedAt = try value("finished_at")
        step.nextAttemptAt = try value("next_attempt_at")
        step.durationMilliseconds = try value("duration_ms")
        return (workflow, step)
    }
}
