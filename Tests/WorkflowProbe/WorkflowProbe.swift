import Fluent
import Foundation
import Logging
import RCMServer
import SQLKit
import Vapor
import Workflow

/// Test support (not shipped): drives the durable engine in separate processes against
/// `DATABASE_URL`, for the crash and multi-worker tests.
///
///     rcm-workflow-probe start COUNT STEPS          creates COUNT runs of a STEPS-step workflow
///     rcm-workflow-probe worker CONCURRENCY LEASE_SECONDS STEPS [SLOW_STEP SLOW_MS]
///                                                   works until no run is pending or in progress
///
/// Each step first counts its attempt in `probe_attempts`, then records its effect in
/// `probe_effects` under its idempotency key (once, whatever the attempts), then — for the slow
/// step — sleeps, so that a test can kill the worker inside the step after its effect.
@main
struct WorkflowProbe {
    static func main() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let command = arguments.first, let numbers = Optional(arguments.dropFirst().compactMap { Int($0) }),
            ["start", "worker"].contains(command)
        else {
            FileHandle.standardError.write(Data("usage: rcm-workflow-probe start|worker …\n".utf8))
            exit(2)
        }
        var logger = Logger(label: "probe")
        logger.logLevel = .warning
        let app = try await Application.make(.testing, .singleton, logger: logger)
        do {
            let configuration = try RCMConfiguration()
            try configureDatabase(app, configuration.database, poolSize: configuration.databasePoolSize)
            try await DatabaseConnectivity.checkAtStartup(app, location: configuration.database)
            configureMigrations(app)
            guard let sql = app.db as? any SQLDatabase else { throw ProbeError("not an SQL database") }
            if command == "start" {
                try await app.autoMigrate()
                for statement in [
                    "CREATE TABLE IF NOT EXISTS probe_attempts (workflow_id TEXT NOT NULL, step TEXT NOT NULL, worker TEXT NOT NULL)",
                    """
                    CREATE TABLE IF NOT EXISTS probe_effects (idempotency_key TEXT PRIMARY KEY, workflow_id TEXT NOT NULL,
                      step TEXT NOT NULL, worker TEXT NOT NULL)
                    """,
                ] {
                    try await sql.raw("\(unsafeRaw: statement)").run()
                }
                let engine = Self.engine(
                    sql: sql, app: app, steps: numbers[1], leaseSeconds: 30, slowStep: nil, slowMs: 0)
                for index in 0..<numbers[0] {
                    try await engine.enqueue("probe", input: Data("{}".utf8), id: WorkflowID("probe-\(index)"))
                }
            } else {
                let engine = Self.engine(
                    sql: sql, app: app, steps: numbers[2], leaseSeconds: Double(numbers[1]),
                    slowStep: numbers.count > 3 ? numbers[3] : nil, slowMs: numbers.count > 4 ? numbers[4] : 0)
                let worker = WorkflowWorker(engine: engine, concurrency: numbers[0], pollIntervalSeconds: 0.1)
                print("worker \(engine.workerID) started")
                fflush(nil)
                while true {
                    try await withThrowingTaskGroup(of: Int.self) { group in
                        for _ in 0..<worker.concurrency { group.addTask { try await worker.drain() } }
                        try await group.waitForAll()
                    }
                    let open =
                        try await engine.list(status: .pending, limit: 1).count
                        + engine.list(status: .inProgress, limit: 1).count
                    if open == 0 { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            FileHandle.standardError.write(Data("rcm-workflow-probe: \(error)\n".utf8))
            exit(1)
        }
    }

    static func engine(
        sql: any SQLDatabase, app: Application, steps: Int, leaseSeconds: Double, slowStep: Int?, slowMs: Int
    ) -> WorkflowEngine {
        let workerID = WorkflowEngine.newWorkerID()
        let definition = WorkflowDefinition(
            name: "probe",
            steps: (0..<steps).map { index in
                WorkflowStep("step-\(index)") { context in
                    try await sql.raw(
                        """
                        INSERT INTO probe_attempts (workflow_id, step, worker)
                        VALUES (\(bind: context.workflowID.rawValue), \(bind: context.step), \(bind: workerID))
                        """
                    ).run()
                    try await sql.raw(
                        """
                        INSERT INTO probe_effects (idempotency_key, workflow_id, step, worker)
                        VALUES (\(bind: context.idempotencyKey), \(bind: context.workflowID.rawValue),
                          \(bind: context.step), \(bind: workerID))
                        ON CONFLICT (idempotency_key) DO NOTHING
                        """
                    ).run()
                    if index == slowStep { try await Task.sleep(for: .milliseconds(slowMs)) }
                    return .completed(Data("\(index)".utf8))
                }
            })
        return WorkflowEngine(
            store: FluentWorkflowStore(database: app.db), definitions: [definition], workerID: workerID,
            leaseSeconds: leaseSeconds, logger: app.logger)
    }
}

struct ProbeError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
