import Fluent
import FluentPostgresDriver
import Foundation
import SQLKit
import Workflow

/// ``Workflow/WorkflowStore`` over Fluent (`workflow_state`, `workflow_steps`, `workflow_events`,
/// `workflow_logs`). Every method commits before it returns; multi-row changes run in one
/// transaction. Leases are taken with conditional `UPDATE … RETURNING`; on PostgreSQL,
/// ``claimNext(owner:until:now:)`` uses `FOR UPDATE SKIP LOCKED` so that several worker
/// processes share the queue without waiting on each other, and the hot paths (create, claim,
/// read, transition) are one prepared statement each.
public struct FluentWorkflowStore: WorkflowStore {
    let database: any Database
    /// PostgreSQL: seconds a prepared statement may take before it fails (see `all`).
    let statementTimeoutSeconds: Double
    /// PostgreSQL: the transitions of this store's savers, written together (``WorkflowGroupCommit``).
    private let groupCommit: WorkflowGroupCommit?

    /// - Parameters:
    ///   - statementTimeoutSeconds: PostgreSQL: how long a worker's prepared statement (create,
    ///     claim, read, transitions) may take before it fails and its connection is closed.
    public init(database: any Database, statementTimeoutSeconds: Double = 60) {
        self.database = database
        self.statementTimeoutSeconds = statementTimeoutSeconds
        if let postgres = database.postgresOutsideChange {
            groupCommit = WorkflowGroupCommit { transitions in
                try await Self.all(
                    WorkflowTransitionStatement(transitions: transitions), on: postgres, writes: true,
                    timeoutSeconds: statementTimeoutSeconds)
            }
        } else {
            groupCommit = nil
        }
    }

    public func create(_ workflow: WorkflowRecord, steps: [StepRecord], log: WorkflowLogEntry) async throws -> (
        WorkflowRecord, created: Bool
    ) {
        try await DatabaseMetrics.measure("workflow_state.create") {
            if let postgres = database.postgresOutsideChange {
                let statement = WorkflowCreateStatement(workflow: workflow, steps: steps, log: log)
                if try await all(statement, on: postgres, writes: true).first == 1 { return (workflow, true) }
                guard let existing = try await self.workflow(workflow.id) else {
                    throw WorkflowError.notFound(workflow.id)
                }
                return (existing, false)
            }
            if let existing = try await self.workflow(workflow.id) { return (existing, false) }
            do {
                try await database.transaction { transaction in
                    try await WorkflowStateModel(workflow).create(on: transaction)
                    for step in steps { try await WorkflowStepModel(step).create(on: transaction) }
                    try await WorkflowLogModel(log).create(on: transaction)
                }
            } catch  where (error as? any DatabaseError)?.isConstraintFailure == true {
                if let existing = try await self.workflow(workflow.id) { return (existing, false) }
                throw error
            }
            return (workflow, true)
        }
    }

    // The hot reads are plain SQL rows rather than Fluent models (a worker reads a run and its
    // steps for every lease it takes).

    public func workflow(_ id: WorkflowID) async throws -> WorkflowRecord? {
        try await DatabaseMetrics.measure("workflow_state.workflow") {
            guard
                let row = try await database.sql.raw(
                    """
                    SELECT id, definition, status, input, current_step, last_error, next_run_at, lease_owner,
                      lease_expires_at, created_at, updated_at
                    FROM workflow_state WHERE id = \(bind: id.rawValue)
                    """
                ).first()
            else { return nil }
            let status = try row.decode(column: "status", as: String.self)
            return WorkflowRecord(
                id: WorkflowID(try row.decode(column: "id", as: String.self)),
                definition: try row.decode(column: "definition", as: String.self),
                status: try StoredDataError.require(WorkflowStatus(rawValue: status), "workflow_state.status", status),
                input: Data(try row.decode(column: "input", as: String.self).utf8),
                currentStep: try row.decode(column: "current_step", as: String?.self),
                lastError: try row.decode(column: "last_error", as: String?.self),
                nextRunAt: try row.decode(column: "next_run_at", as: Date?.self),
                leaseOwner: try row.decode(column: "lease_owner", as: String?.self),
                leaseExpiresAt: try row.decode(column: "lease_expires_at", as: Date?.self),
                createdAt: try row.decode(column: "created_at", as: Date.self),
                updatedAt: try row.decode(column: "updated_at", as: Date.self))
        }
    }

    public func steps(of id: WorkflowID) async throws -> [StepRecord] {
        try await DatabaseMetrics.measure("workflow_state.steps") {
            try await database.sql.raw(
                """
                SELECT name, position, status, attempts, output, last_error, wait_key, wait_deadline, started_at,
                  finished_at, next_attempt_at, duration_ms
                FROM workflow_steps WHERE workflow_id = \(bind: id.rawValue) ORDER BY position
                """
            ).all().map { row in
                var record = StepRecord(
                    workflowID: id, name: try row.decode(column: "name", as: String.self),
                    position: try row.decode(column: "position", as: Int.self))
                let status = try row.decode(column: "status", as: String.self)
                record.status = try StoredDataError.require(
                    StepStatus(rawValue: status), "workflow_steps.status", status)
                record.attempts = try row.decode(column: "attempts", as: Int.self)
                record.output = try row.decode(column: "output", as: String?.self).map { Data($0.utf8) }
                record.lastError = try row.decode(column: "last_error", as: String?.self)
                record.waitKey = try row.decode(column: "wait_key", as: String?.self)
                record.waitDeadline = try row.decode(column: "wait_deadline", as: Date?.self)
                record.startedAt = try row.decode(column: "started_at", as: Date?.self)
                record.finishedAt = try row.decode(column: "finished_at", as: Date?.self)
                record.nextAttemptAt = try row.decode(column: "next_attempt_at", as: Date?.self)
                record.durationMilliseconds = try row.decode(column: "duration_ms", as: Int?.self)
                return record
            }
        }
    }

    public func workflowWithSteps(_ id: WorkflowID) async throws -> (WorkflowRecord, [StepRecord])? {
        guard let postgres = database.postgresOutsideChange else {
            guard let workflow = try await workflow(id) else { return nil }
            return (workflow, try await steps(of: id))
        }
        return try await DatabaseMetrics.measure("workflow_state.workflowWithSteps") {
            Self.run(try await all(WorkflowRunStatement(id: id), on: postgres))
        }
    }

    /// A run and its steps from the rows of ``WorkflowRunStatement``.
    private static func run(_ rows: [WorkflowRunStatement.Row]) -> (WorkflowRecord, [StepRecord])? {
        rows.first.map { ($0.workflow, rows.compactMap(\.step)) }
    }

    /// Runs a prepared statement on a pooled PostgreSQL connection and collects its rows, in a task
    /// of its own: cancelling the caller cannot cut short the reading of rows that a committed
    /// statement returns (a lease taken, transitions of other runs written in a group commit).
    ///
    /// A statement that writes (`writes`) runs between `BEGIN` and `COMMIT`, and its rows are
    /// returned once `COMMIT` has answered. Alone, an extended-protocol statement is committed only
    /// when the server handles the `Sync` after it — after the server has sent the statement's
    /// `CommandComplete`, which is where PostgresNIO hands the rows over — so the rows would arrive
    /// before the commit and its WAL flush: a worker could start a step whose start is not yet
    /// durable, and a backend that died in between (a breaker terminated backends) rolled back
    /// transitions that their savers had been told were written. `COMMIT` answers only after
    /// committing (PostgreSQL's `exec_execute_message` finishes a transaction command before its
    /// `CommandComplete`).
    ///
    /// A statement that has not answered after `timeoutSeconds` fails with
    /// ``WorkflowStatementTimedOut`` and its connection is closed (the pool drops it): PostgresNIO
    /// never answers a statement written to a connection whose server process was terminated (a
    /// breaker saw workers hang for good, their heartbeats renewing the leases), and a statement
    /// waiting on a row lock should not hold its savers forever either.
    private func all<Statement: PostgresPreparedStatement>(
        _ statement: Statement, on postgres: any PostgresDatabase, writes: Bool = false
    ) async throws -> [Statement.Row] where Statement.Row: Sendable {
        try await Self.all(statement, on: postgres, writes: writes, timeoutSeconds: statementTimeoutSeconds)
    }

    private static func all<Statement: PostgresPreparedStatement>(
        _ statement: Statement, on postgres: any PostgresDatabase, writes: Bool, timeoutSeconds: Double
    ) async throws -> [Statement.Row] where Statement.Row: Sendable {
        let timeout = TimeAmount.nanoseconds(Int64(timeoutSeconds * 1e9))
        return try await postgres.withConnection { connection in
            let answer = connection.eventLoop.makePromise(of: [Statement.Row].self)
            let deadline = connection.eventLoop.scheduleTask(in: timeout) {
                answer.fail(WorkflowStatementTimedOut(statement: Statement.name, seconds: timeoutSeconds))
                connection.close().whenComplete { _ in }
            }
            answer.completeWithTask {
                guard writes else { return try await Self.rows(of: statement, on: connection) }
                do {
                    return try await connection.withTransaction(logger: Self.logger) { connection in
                        try await Self.rows(of: statement, on: connection)
                    }
                } catch let error as PostgresTransactionError {
                    // The statement's own error, as PostgreSQL reported it (the transaction is not
                    // committed after it, whatever the ROLLBACK did); errors of BEGIN and COMMIT stay
                    // wrapped.
                    if let statementError = error.closureError { throw statementError }
                    throw error
                }
            }
            return answer.futureResult.always { _ in deadline.cancel() }
        }.get()
    }

    private static func rows<Statement: PostgresPreparedStatement>(
        of statement: Statement, on connection: PostgresConnection
    ) async throws -> [Statement.Row] where Statement.Row: Sendable {
        var rows: [Statement.Row] = []
        for try await row in try await connection.execute(statement, logger: Self.logger) { rows.append(row) }
        return rows
    }

    public func save(
        _ workflow: WorkflowRecord, steps: [StepRecord], log: [WorkflowLogEntry], leaseOwner: String,
        releasingLease: Bool
    ) async throws -> WorkflowStatus {
        try await DatabaseMetrics.measure("workflow_state.save") {
            // Inside a change (an operator's resume), the change's transaction writes it.
            if let groupCommit, ChangeTransaction.current == nil {
                let transition = WorkflowTransition(
                    workflow: workflow, steps: steps, log: log, leaseOwner: leaseOwner, releasingLease: releasingLease)
                return try await stored(transition, try await saveWaitingOutLocks(transition, groupCommit))
            }
            return try await database.transaction { transaction in
                // The lease is the fence: a worker that lost it writes nothing. An operator's PAUSED or
                // CANCELLED stays.
                let row = try await transaction.sql.raw(
                    """
                    UPDATE workflow_state SET
                      status = CASE WHEN status IN ('PAUSED', 'CANCELLED') THEN status ELSE \(bind: workflow.status.rawValue) END,
                      current_step = \(bind: workflow.currentStep), last_error = \(bind: workflow.lastError),
                      next_run_at = \(bind: workflow.nextRunAt), updated_at = \(bind: workflow.updatedAt),
                      lease_owner = CASE WHEN \(bind: releasingLease) THEN NULL ELSE lease_owner END,
                      lease_expires_at = CASE WHEN \(bind: releasingLease) THEN NULL ELSE lease_expires_at END
                    WHERE id = \(bind: workflow.id.rawValue) AND lease_owner = \(bind: leaseOwner)
                    RETURNING status
                    """
                ).first()
                guard let row else {
                    guard try await WorkflowStateModel.find(workflow.id.rawValue, on: transaction) != nil else {
                        throw WorkflowError.notFound(workflow.id)
                    }
                    throw WorkflowError.leaseLost(workflow.id)
                }
                let text = try row.decode(column: "status", as: String.self)
                let stored = try StoredDataError.require(WorkflowStatus(rawValue: text), "workflow_state.status", text)
                let (keptSteps, keptLog) = stored.kept(steps, log)
                for step in keptSteps {
                    let updated = try await transaction.sql.raw(
                        """
                        UPDATE workflow_steps SET status = \(bind: step.status.rawValue), attempts = \(bind: step.attempts),
                          output = \(bind: step.output.map { String(decoding: $0, as: UTF8.self) }),
                          last_error = \(bind: step.lastError), wait_key = \(bind: step.waitKey),
                          wait_deadline = \(bind: step.waitDeadline), started_at = \(bind: step.startedAt),
                          finished_at = \(bind: step.finishedAt), next_attempt_at = \(bind: step.nextAttemptAt),
                          duration_ms = \(bind: step.durationMilliseconds)
                        WHERE workflow_id = \(bind: workflow.id.rawValue) AND name = \(bind: step.name)
                        RETURNING name
                        """
                    ).first()
                    guard updated != nil else {
                        throw WorkflowError.definitionMismatch(workflow.id, "no stored step '\(step.name)'")
                    }
                }
                if !keptLog.isEmpty {
                    var insert = try transaction.sql.insert(into: WorkflowLogModel.schema)
                        .columns("workflow_id", "step", "from_status", "to_status", "message", "actor", "created_at")
                    for entry in keptLog {
                        insert = insert.values(
                            SQLBind(entry.workflowID.rawValue), SQLBind(entry.step), SQLBind(entry.fromStatus),
                            SQLBind(entry.toStatus), SQLBind(entry.message), SQLBind(entry.actor), SQLBind(entry.at))
                    }
                    try await insert.run()
                }
                return stored
            }
        }
    }

    /// PostgreSQL: saves `transition` with the group commit; while another session holds the run's
    /// row locked (the statement skips it, ``WorkflowTransitionStatement``), saves it again after a
    /// pause (10 ms, doubling to 500 ms), up to the statement timeout, then fails with
    /// ``WorkflowStatementTimedOut`` (transient: the engine tries the step's save again without
    /// counting an attempt). Only this run's saver waits; the other runs' transitions are written.
    private func saveWaitingOutLocks(_ transition: WorkflowTransition, _ groupCommit: WorkflowGroupCommit)
        async throws -> WorkflowGroupCommit.Outcome
    {
        let deadline = Date().addingTimeInterval(statementTimeoutSeconds)
        var pauseSeconds = 0.01
        while true {
            let outcome = try await groupCommit.save(transition)
            guard outcome == .busy else { return outcome }
            guard Date() < deadline else {
                throw WorkflowStatementTimedOut(
                    statement: WorkflowTransitionStatement.name, seconds: statementTimeoutSeconds)
            }
            try await Task.sleep(for: .seconds(pauseSeconds))
            pauseSeconds = min(pauseSeconds * 2, 0.5)
        }
    }

    /// PostgreSQL: what a transition's row (``WorkflowGroupCommit/Outcome``) says, with the
    /// transaction path's errors.
    private func stored(_ transition: WorkflowTransition, _ outcome: WorkflowGroupCommit.Outcome) async throws
        -> WorkflowStatus
    {
        let id = transition.workflow.id
        guard case .written(let status, let updated) = outcome else {
            guard try await WorkflowStateModel.find(id.rawValue, on: database) != nil else {
                throw WorkflowError.notFound(id)
            }
            throw WorkflowError.leaseLost(id)
        }
        let stored = try StoredDataError.require(WorkflowStatus(rawValue: status), "workflow_state.status", status)
        guard updated == stored.kept(transition.steps, transition.log).0.count else {
            throw WorkflowError.definitionMismatch(id, "not every saved step is stored")
        }
        return stored
    }

    /// The logger of the prepared transition statement (PostgresNIO logs at debug level).
    private static let logger = Logger(label: "rcm.workflow.store")

    public func setStatus(
        _ id: WorkflowID, from: WorkflowStatus, to: WorkflowStatus, nextRunAt: Date?, log: WorkflowLogEntry
    ) async throws -> Bool {
        try await DatabaseMetrics.measure("workflow_state.setStatus") {
            try await database.transaction { transaction in
                let moved = try await transaction.sql.raw(
                    """
                    UPDATE workflow_state SET status = \(bind: to.rawValue), next_run_at = \(bind: nextRunAt),
                      updated_at = \(bind: log.at)
                    WHERE id = \(bind: id.rawValue) AND status = \(bind: from.rawValue)
                    RETURNING id
                    """
                ).first()
                guard moved != nil else { return false }
                try await WorkflowLogModel(log).create(on: transaction)
                return true
            }
        }
    }

    public func recordEvent(key: String, payload: Data, at date: Date) async throws -> Bool {
        try await DatabaseMetrics.measure("workflow_state.recordEvent") {
            do {
                try await ChangeTransaction.savepoint(on: database) { database in
                    try await database.sql.insert(into: WorkflowEventModel.schema)
                        .columns("id", "event_key", "payload", "received_at")
                        .values(
                            SQLBind(UUID()), SQLBind(key), SQLBind(String(decoding: payload, as: UTF8.self)),
                            SQLBind(date)
                        )
                        .run()
                }
                return true
            } catch  where (error as? any DatabaseError)?.isConstraintFailure == true {
                return false
            }
        }
    }

    public func event(key: String) async throws -> Data? {
        try await DatabaseMetrics.measure("workflow_state.event") {
            try await database.sql.select().column("payload").from(WorkflowEventModel.schema)
                .where("event_key", .equal, key).limit(1).first()
                .map { Data(try $0.decode(column: "payload", as: String.self).utf8) }
        }
    }

    public func workflowWaiting(for eventKey: String) async throws -> WorkflowID? {
        try await DatabaseMetrics.measure("workflow_state.workflowWaiting") {
            try await database.sql.select().column("workflow_id").from(WorkflowStepModel.schema)
                .where("wait_key", .equal, eventKey).where("status", .equal, StepStatus.running.rawValue).limit(1)
                .first().map { WorkflowID(try $0.decode(column: "workflow_id", as: String.self)) }
        }
    }

    public func wake(_ id: WorkflowID, at date: Date) async throws {
        try await DatabaseMetrics.measure("workflow_state.wake") {
            try await database.sql.raw(
                "UPDATE workflow_state SET next_run_at = \(bind: date) WHERE id = \(bind: id.rawValue)"
            ).run()
        }
    }

    public func claimNext(owner: String, until: Date, now: Date) async throws -> WorkflowID? {
        try await DatabaseMetrics.measure("workflow_state.claimNext") {
            if let postgres = database.postgresOutsideChange {
                // Not `writes`: a claim whose commit were lost (see `all`) is harmless, since every save
                // of the run checks the lease (it would fail with `leaseLost`).
                return try await all(WorkflowClaimStatement(owner: owner, until: until, now: now), on: postgres)
                    .first
            }
            // SQLite: one process, one writer at a time; the lease condition is checked again on the row.
            return try await database.sql.raw(
                """
                UPDATE workflow_state SET lease_owner = \(bind: owner), lease_expires_at = \(bind: until)
                WHERE id = (
                  SELECT id FROM workflow_state
                  WHERE status IN ('PENDING', 'IN_PROGRESS')
                    AND (next_run_at IS NULL OR next_run_at <= \(bind: now))
                    AND (lease_expires_at IS NULL OR lease_expires_at < \(bind: now))
                  ORDER BY COALESCE(next_run_at, created_at)
                  LIMIT 1)
                  AND (lease_expires_at IS NULL OR lease_expires_at < \(bind: now))
                RETURNING id
                """
            ).first().map { WorkflowID(try $0.decode(column: "id", as: String.self)) }
        }
    }

    public func acquireLease(_ id: WorkflowID, owner: String, until: Date, now: Date) async throws -> Bool {
        try await DatabaseMetrics.measure("workflow_state.acquireLease") {
            try await database.sql.raw(
                """
                UPDATE workflow_state SET lease_owner = \(bind: owner), lease_expires_at = \(bind: until)
                WHERE id = \(bind: id.rawValue)
                  AND (lease_owner IS NULL OR lease_owner = \(bind: owner) OR lease_expires_at < \(bind: now))
                RETURNING id
                """
            ).first() != nil
        }
    }

    public func renewLease(_ id: WorkflowID, owner: String, until: Date) async throws -> Bool {
        try await DatabaseMetrics.measure("workflow_state.renewLease") {
            try await database.sql.raw(
                """
                UPDATE workflow_state SET lease_expires_at = \(bind: until)
                WHERE id = \(bind: id.rawValue) AND lease_owner = \(bind: owner)
                RETURNING id
                """
            ).first() != nil
        }
    }

    public func releaseLease(_ id: WorkflowID, owner: String) async throws {
        try await DatabaseMetrics.measure("workflow_state.releaseLease") {
            try await database.sql.raw(
                """
                UPDATE workflow_state SET lease_owner = NULL, lease_expires_at = NULL
                WHERE id = \(bind: id.rawValue) AND lease_owner = \(bind: owner)
                """
            ).run()
        }
    }

    /// Releases every lease in the store, whoever holds it, so that the runs they kept continue at
    /// once rather than after their leases lapse. Only for a store one process uses at a time
    /// (SQLite under ``SQLiteProcessLock``), where every lease found at start-up belongs to a
    /// process that ended without giving it back (a crash, a full disk, SIGKILL); on a shared store
    /// it would take runs from live workers.
    /// - Returns: how many leases were released.
    /// - Throws: a database error.
    @discardableResult
    public func releaseLeasesOfEndedProcesses() async throws -> Int {
        try await DatabaseMetrics.measure("workflow_state.releaseLeasesOfEndedProcesses") {
            try await database.sql.raw(
                """
                UPDATE workflow_state SET lease_owner = NULL, lease_expires_at = NULL
                WHERE lease_owner IS NOT NULL OR lease_expires_at IS NOT NULL
                RETURNING id
                """
            ).all().count
        }
    }

    public func logs(of id: WorkflowID) async throws -> [WorkflowLogEntry] {
        try await DatabaseMetrics.measure("workflow_state.logs") {
            try await WorkflowLogModel.query(on: database)
                .filter(\.$workflow.$id == id.rawValue)
                .sort(\.$id)
                .all()
                .map { $0.toDomain() }
        }
    }

    public func list(status: WorkflowStatus?, limit: Int) async throws -> [WorkflowRecord] {
        try await DatabaseMetrics.measure("workflow_state.list") {
            var query = WorkflowStateModel.query(on: database)
            if let status { query = query.filter(\.$status == status.rawValue) }
            return try await query.sort(\.$updatedAt, .descending).limit(limit).all().map { try $0.toDomain() }
        }
    }

    public func countInProgress() async throws -> [String: Int] {
        try await DatabaseMetrics.measure("workflow_state.countInProgress") {
            try await database.sql.raw(
                """
                SELECT definition, COUNT(*) AS n FROM workflow_state
                WHERE status = \(bind: WorkflowStatus.inProgress.rawValue) GROUP BY definition
                """
            ).all().reduce(into: [:]) { counts, row in
                counts[try row.decode(column: "definition", as: String.self)] = try row.decode(
                    column: "n", as: Int.self)
            }
        }
    }
}

extension WorkflowStateModel {
    convenience init(_ record: WorkflowRecord) {
        self.init()
        id = record.id.rawValue
        update(from: record)
        createdAt = record.createdAt
    }

    func update(from record: WorkflowRecord) {
        definition = record.definition
        status = record.status.rawValue
        input = String(decoding: record.input, as: UTF8.self)
        currentStep = record.currentStep
        lastError = record.lastError
        nextRunAt = record.nextRunAt
        leaseOwner = record.leaseOwner
        leaseExpiresAt = record.leaseExpiresAt
        updatedAt = record.updatedAt
    }

    func toDomain() throws -> WorkflowRecord {
        WorkflowRecord(
            id: WorkflowID(try StoredDataError.require(id, "workflow_state.id", "nil")), definition: definition,
            status: try StoredDataError.require(WorkflowStatus(rawValue: status), "workflow_state.status", status),
            input: Data(input.utf8), currentStep: currentStep, lastError: lastError, nextRunAt: nextRunAt,
            leaseOwner: leaseOwner, leaseExpiresAt: leaseExpiresAt, createdAt: createdAt, updatedAt: updatedAt)
    }
}

extension WorkflowStepModel {
    convenience init(_ record: StepRecord) {
        self.init()
        id = UUID()
        $workflow.id = record.workflowID.rawValue
        name = record.name
        position = record.position
        update(from: record)
    }

    func update(from record: StepRecord) {
        status = record.status.rawValue
        attempts = record.attempts
        output = record.output.map { String(decoding: $0, as: UTF8.self) }
        lastError = record.lastError
        waitKey = record.waitKey
        waitDeadline = record.waitDeadline
        startedAt = record.startedAt
        finishedAt = record.finishedAt
        nextAttemptAt = record.nextAttemptAt
        durationMilliseconds = record.durationMilliseconds
    }

    func toDomain() throws -> StepRecord {
        var record = StepRecord(workflowID: WorkflowID($workflow.id), name: name, position: position)
        record.status = try StoredDataError.require(StepStatus(rawValue: status), "workflow_steps.status", status)
        record.attempts = attempts
        record.output = output.map { Data($0.utf8) }
        record.lastError = lastError
        record.waitKey = waitKey
        record.waitDeadline = waitDeadline
        record.startedAt = startedAt
        record.finishedAt = finishedAt
        record.nextAttemptAt = nextAttemptAt
        record.durationMilliseconds = durationMilliseconds
        return record
    }
}

extension WorkflowLogModel {
    convenience init(_ entry: WorkflowLogEntry) {
        self.init()
        $workflow.id = entry.workflowID.rawValue
        step = entry.step
        fromStatus = entry.fromStatus
        toStatus = entry.toStatus
        message = entry.message
        actor = entry.actor
        createdAt = entry.at
    }

    func toDomain() -> WorkflowLogEntry {
        WorkflowLogEntry(
            workflowID: WorkflowID($workflow.id), step: step, fromStatus: fromStatus, toStatus: toStatus,
            message: message, actor: actor, at: createdAt)
    }
}
