import Fluent
import Foundation
import SQLKit
import Testing

@testable import RCMServer

/// The durable engine with real processes (`rcm-workflow-probe`, built with the tests): a worker
/// killed inside a step, several workers sharing one PostgreSQL queue.
@Suite(.serialized) struct WorkflowProcessTests {
    static var probe: URL {
        CommandLineTests.binary.deletingLastPathComponent().appendingPathComponent("rcm-workflow-probe")
    }

    static func spawn(_ arguments: [String], databaseURL: String) throws -> Process {
        let process = Process()
        process.executableURL = probe
        process.arguments = arguments
        process.environment = ["DATABASE_URL": databaseURL, "PATH": "/usr/bin:/bin"]
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        return process
    }

    /// Waits for a process to exit, up to `seconds`.
    static func wait(_ process: Process, seconds: Double) async throws -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning {
            guard Date() < deadline else {
                process.terminate()
                throw TestSetupError("\(process.arguments ?? []) did not finish within \(seconds) s")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return process.terminationStatus
    }

    static func count(_ sql: any SQLDatabase, _ query: String) async throws -> Int {
        try await sql.raw("\(unsafeRaw: query)").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    @Test func aWorkerKilledInsideAStepIsReplacedAndEveryEffectHappensOnce() async throws {
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            let url = try #require(CommandLineTests.databaseURL(configuration))
            let start = try Self.spawn(["start", "4", "3"], databaseURL: url)
            #expect(try await Self.wait(start, seconds: 60) == 0)
            // One worker, a 2-second lease, step 1 sleeps 30 s after recording its effect.
            let doomed = try Self.spawn(["worker", "1", "2", "3", "1", "30000"], databaseURL: url)
            try await TestDatabase.withApp(configuration) { app in
                let sql = try #require(app.db as? any SQLDatabase)
                let deadline = Date().addingTimeInterval(60)
                while try await Self.count(sql, "SELECT COUNT(*) AS n FROM probe_attempts WHERE step = 'step-1'") == 0 {
                    guard Date() < deadline else { throw TestSetupError("the worker never reached step 1") }
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
            // Killed inside step 1, after its effect, before its completion was committed.
            kill(doomed.processIdentifier, SIGKILL)
            doomed.waitUntilExit()
            let successor = try Self.spawn(["worker", "2", "2", "3"], databaseURL: url)
            #expect(try await Self.wait(successor, seconds: 120) == 0)

            try await TestDatabase.withApp(configuration) { app in
                let sql = try #require(app.db as? any SQLDatabase)
                #expect(
                    try await Self.count(sql, "SELECT COUNT(*) AS n FROM workflow_state WHERE status = 'COMPLETED'")
                        == 4)
                // Every step's effect exactly once; only the interrupted step ran twice.
                #expect(try await Self.count(sql, "SELECT COUNT(*) AS n FROM probe_effects") == 12)
                #expect(try await Self.count(sql, "SELECT COUNT(*) AS n FROM probe_attempts") == 13)
                let repeated = try await sql.raw(
                    "SELECT workflow_id, step, COUNT(*) AS n FROM probe_attempts GROUP BY workflow_id, step HAVING COUNT(*) > 1"
                ).all()
                #expect(repeated.count == 1)
                #expect(try repeated.first?.decode(column: "step", as: String.self) == "step-1")
                // The second attempt is in the log, by the successor.
                let rerun = try await sql.raw(
                    "SELECT actor FROM workflow_logs WHERE step = 'step-1' AND message = 'attempt 2'"
                ).all()
                #expect(rerun.count == 1)
                #expect(
                    try await Self.count(sql, "SELECT COUNT(*) AS n FROM workflow_state WHERE lease_owner IS NOT NULL")
                        == 0)
            }
        }
    }

    @Test(.enabled(if: TestDatabase.adminURL != nil))
    func threeWorkerProcessesShareThePostgreSQLQueue() async throws {
        try await TestDatabase.postgres.withFreshDatabase { configuration in
            let url = try #require(CommandLineTests.databaseURL(configuration))
            let start = try Self.spawn(["start", "300", "3"], databaseURL: url)
            #expect(try await Self.wait(start, seconds: 120) == 0)
            let workers = try (0..<3).map { _ in try Self.spawn(["worker", "4", "30", "3"], databaseURL: url) }
            for worker in workers { #expect(try await Self.wait(worker, seconds: 300) == 0) }

            try await TestDatabase.withApp(configuration) { app in
                let sql = try #require(app.db as? any SQLDatabase)
                #expect(
                    try await Self.count(sql, "SELECT COUNT(*) AS n FROM workflow_state WHERE status = 'COMPLETED'")
                        == 300)
                #expect(try await Self.count(sql, "SELECT COUNT(*) AS n FROM probe_effects") == 900)
                // No step was executed twice: one attempt per step.
                #expect(try await Self.count(sql, "SELECT COUNT(*) AS n FROM probe_attempts") == 900)
                #expect(
                    try await Self.count(
                        sql, "SELECT COUNT(*) AS n FROM workflow_steps WHERE attempts <> 1 OR status <> 'COMPLETED'")
                        == 0)
                #expect(try await Self.count(sql, "SELECT COUNT(DISTINCT worker) AS n FROM probe_attempts") >= 2)
            }
        }
    }
}
