import Fluent
import Foundation
import Logging
import RCMServer
import SQLKit
import Vapor
import Workflow

/// Benchmark (not a test): durable workflow steps per second on the database `DATABASE_URL`
/// names. Runs COUNT workflows of STEPS no-op steps with WORKERS worker loops in this process;
/// every step is a committed transition (a step's completion is committed with the next step's
/// start: 9 transitions for 8 steps, each with its log entries).
///
///     rcm-workflow-benchmark COUNT STEPS WORKERS
///
/// Prints `steps_per_second`, `workflows`, `steps`, `seconds`, `workers`, `connections` (on
/// PostgreSQL, the connections this process opened, as the server counts them).
@main
struct WorkflowBenchmark {
    static func main() async throws {
        let numbers = CommandLine.arguments.dropFirst().compactMap { Int($0) }
        guard numbers.count == 3 else {
            FileHandle.standardError.write(Data("usage: rcm-workflow-benchmark COUNT STEPS WORKERS\n".utf8))
            exit(2)
        }
        let (count, steps, workers) = (numbers[0], numbers[1], numbers[2])
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let app = try await Application.make(.production, .singleton, logger: logger)
        do {
            let configuration = try RCMConfiguration()
            try configureDatabase(app, configuration.database, poolSize: configuration.databasePoolSize)
            try await DatabaseConnectivity.checkAtStartup(app, location: configuration.database)
            configureMigrations(app)
            try await app.autoMigrate()
            let definition = WorkflowDefinition(
                name: "bench",
                steps: (0..<steps).map { WorkflowStep("step-\($0)") { _ in .completed(Data("{}".utf8)) } })
            let engine = WorkflowEngine(
                store: FluentWorkflowStore(database: app.db), definitions: [definition], logger: app.logger)
            let prefix = UUID().uuidString.prefix(8)
            for index in 0..<count {
                try await engine.enqueue("bench", input: Data("{}".utf8), id: WorkflowID("bench-\(prefix)-\(index)"))
            }
            let worker = WorkflowWorker(engine: engine, concurrency: workers)
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<workers { group.addTask { try await worker.drain() } }
                try await group.waitForAll()
            }
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let done = try await engine.list(status: .completed, limit: count + 1).count
            guard done == count else { throw BenchmarkError("only \(done) of \(count) workflows completed") }
            // The connections this process opened (pooled connections stay open once made), counted
            // by the server. The engine's store is bound to one event loop's pool, so this is about
            // that pool's size, not RCM_DB_POOL_SIZE's whole.
            let connections: Int
            if case .postgres = configuration.database, let sql = app.db as? any SQLDatabase {
                let row = try await sql.raw(
                    "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database()"
                ).first()
                connections = try row?.decode(column: "n", as: Int.self) ?? 0
            } else {
                connections = 1
            }
            print("steps_per_second \(String(format: "%.0f", Double(count * steps) / seconds))")
            print("workflows \(count)")
            print("steps \(count * steps)")
            print("seconds \(String(format: "%.2f", seconds))")
            print("workers \(workers)")
            print("connections \(connections)")
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            FileHandle.standardError.write(Data("rcm-workflow-benchmark: \(error)\n".utf8))
            exit(1)
        }
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
