import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Testing
import Workflow

@testable import RCMServer

/// PostgreSQL: a run whose row another session holds locked holds up only its own save (the
/// transition statement skips locked rows, issue 19); before, the statement carrying it waited on
/// the lock, and every transition batched with it, for up to the statement timeout.
@Suite struct WorkflowRowLockTests {
    @Test(.enabled(if: TestDatabase.adminURL != nil))
    func runsLockedElsewhereHoldUpOnlyTheirOwnSaves() async throws {
        try await TestDatabase.postgres.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                try await app.autoMigrate()
                let store = FluentWorkflowStore(database: app.db, statementTimeoutSeconds: 120)
                let now = Date()
                var runs: [WorkflowRecord] = []
                for index in 0..<6 {
                    let id = WorkflowID("run-\(index)")
                    let run = WorkflowRecord(
                        id: id, definition: "probe", status: .pending, input: Data("{}".utf8), currentStep: nil,
                        lastError: nil, nextRunAt: now, createdAt: now, updatedAt: now)
                    _ = try await store.create(
                        run, steps: [StepRecord(workflowID: id, name: "one", position: 0)],
                        log: WorkflowLogEntry(
                            workflowID: id, step: nil, fromStatus: nil, toStatus: "PENDING", message: nil,
                            actor: "test", at: now))
                    runs.append(run)
                }
                for _ in runs {
                    _ = try #require(
                        try await store.claimNext(owner: "worker:a", until: now.addingTimeInterval(600), now: now))
                }
                @Sendable func save(_ run: WorkflowRecord) async throws -> WorkflowStatus {
                    var moved = run
                    moved.status = .inProgress
                    moved.currentStep = "one"
                    var step = StepRecord(workflowID: run.id, name: "one", position: 0)
                    step.status = .running
                    step.attempts = 1
                    step.startedAt = now
                    return try await store.save(
                        moved, steps: [step],
                        log: [
                            WorkflowLogEntry(
                                workflowID: run.id, step: "one", fromStatus: "PENDING", toStatus: "RUNNING",
                                message: nil, actor: "worker:a", at: now)
                        ], leaseOwner: "worker:a", releasingLease: false)
                }

                // Another session locks run-0's and run-1's rows and holds them.
                let (locked, lockedSignal) = AsyncStream<Void>.makeStream()
                let (release, releaseSignal) = AsyncStream<Void>.makeStream()
                let holder = Task {
                    try await app.db.transaction { transaction in
                        try await (transaction as! any SQLDatabase).raw(
                            "SELECT id FROM workflow_state WHERE id IN ('run-0', 'run-1') FOR UPDATE"
                        ).run()
                        lockedSignal.yield()
                        for await _ in release { break }
                    }
                }
                for await _ in locked { break }

                // Their saves go first (before, they took both statement slots and waited there).
                let blocked = runs[0..<2].map { run in Task { try await save(run) } }
                try await Task.sleep(for: .milliseconds(300))
                let others = runs[2...].map { run in Task { try await save(run) } }
                let finished = NIOLockedValueBox(0)
                for task in others {
                    Task {
                        _ = try await task.value
                        finished.withLockedValue { $0 += 1 }
                    }
                }
                // A deadline for the test, not a timing: before the fix they could not finish at all
                // while the locks were held.
                let deadline = Date().addingTimeInterval(60)
                while finished.withLockedValue({ $0 }) < others.count, Date() < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                }
                #expect(finished.withLockedValue { $0 } == others.count, "saves of unlocked runs waited on the lock")
                for task in others { #expect(try await task.value == .inProgress) }

                // Released, the locked runs' saves are written too.
                releaseSignal.yield()
                try await holder.value
                for task in blocked { #expect(try await task.value == .inProgress) }
                let sql = app.db as! any SQLDatabase
                let running = try await sql.raw(
                    "SELECT COUNT(*) AS n FROM workflow_steps WHERE status = 'RUNNING' AND attempts = 1"
                ).first()!.decode(column: "n", as: Int.self)
                #expect(running == 6)
            }
        }
    }
}
