import FluentPostgresDriver
import Foundation
import Workflow

/// PostgreSQL: a new run — its `workflow_state` row, its step rows and its first log entry — as one
/// prepared statement of constant text (data-modifying CTEs: atomic, one statement instead of one
/// insert per row; the store confirms it by `COMMIT`; see ``WorkflowTransitionStatement``
/// for why prepared and typed). The steps travel column by column as arrays
/// (``WorkflowStepColumns``), with their row ids and positions.
///
/// An id that already exists writes nothing (`ON CONFLICT (id) DO NOTHING`: a concurrent insert of
/// the same id waits for the other to commit, then writes nothing), and the row says `created = 0`.
struct WorkflowCreateStatement: PostgresPreparedStatement {
    typealias Row = Int

    /// A fixed name (see ``WorkflowTransitionStatement/name``).
    static let name = "rcm.workflow.create"

    static let sql = """
        WITH w AS (
          INSERT INTO workflow_state (id, definition, status, input, current_step, last_error, next_run_at,
            lease_owner, lease_expires_at, created_at, updated_at)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
          ON CONFLICT (id) DO NOTHING
          RETURNING id),
        s AS (
          INSERT INTO workflow_steps (id, workflow_id, name, position, status, attempts, output, last_error, wait_key,
            wait_deadline, started_at, finished_at, next_attempt_at, duration_ms)
          SELECT v.id, w.id, v.name, v.position, v.status, v.attempts, v.output, v.last_error, v.wait_key,
            v.wait_deadline, v.started_at, v.finished_at, v.next_attempt_at, v.duration_ms
          FROM w, unnest($12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24) AS v(id, name, status,
            attempts, output, last_error, wait_key, wait_deadline, started_at, finished_at, next_attempt_at,
            duration_ms, position)),
        l AS (
          INSERT INTO workflow_logs (workflow_id, step, from_status, to_status, message, actor, created_at)
          SELECT w.id, $25, $26, $27, $28, $29, $30 FROM w)
        SELECT COUNT(*) AS created FROM w
        """

    static let bindingDataTypes: [PostgresDataType] =
        [.text, .text, .text, .text, .text, .text, .timestamptz, .text, .timestamptz, .timestamptz, .timestamptz]
        + [.uuidArray] + WorkflowStepColumns.dataTypes + [.int8Array]
        + [.text, .text, .text, .text, .text, .timestamptz]

    let workflow: WorkflowRecord
    let steps: [StepRecord]
    let log: WorkflowLogEntry

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 30)
        bindings.append(workflow.id.rawValue)
        bindings.append(workflow.definition)
        bindings.append(workflow.status.rawValue)
        bindings.append(String(decoding: workflow.input, as: UTF8.self))
        bindings.append(workflow.currentStep)
        bindings.append(workflow.lastError)
        bindings.append(workflow.nextRunAt)
        bindings.append(workflow.leaseOwner)
        bindings.append(workflow.leaseExpiresAt)
        bindings.append(workflow.createdAt)
        bindings.append(workflow.updatedAt)
        bindings.append(steps.map { _ in UUID() })
        WorkflowStepColumns.append(steps, to: &bindings)
        bindings.append(steps.map { Int64($0.position) })
        bindings.append(log.step)
        bindings.append(log.fromStatus)
        bindings.append(log.toStatus)
        bindings.append(log.message)
        bindings.append(log.actor)
        bindings.append(log.at)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Int.self) }
}
