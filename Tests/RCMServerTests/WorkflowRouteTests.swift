import Foundation
import HCX
import Logging
import Testing
import Vapor
import VaporTesting
import Workflow

@testable import RCMServer

/// `/api/v1/workflows` over a real database, and `rcm workflows` as an operator runs it.
@Suite(.serialized) struct WorkflowRouteTests {
    /// A waiting and a failed claim-like run, made with a small definition on the app's store.
    static func seed(_ app: Application) async throws -> WorkflowEngine {
        let engine = WorkflowEngine(
            store: FluentWorkflowStore(database: app.db),
            definitions: [
                WorkflowDefinition(
                    name: "demo",
                    steps: [
                        WorkflowStep("prepare") { _ in .completed(Data("1".utf8)) },
                        WorkflowStep("call") { context in
                            if context.workflowID.rawValue == "demo-broken", context.attempt == 1 {
                                throw StepFailure(kind: "outage", message: "payer unreachable", retryable: false)
                            }
                            return .wait(
                                eventKey: "answer-\(context.workflowID)", deadline: Date().addingTimeInterval(600))
                        },
                    ])
            ], logger: Logger(label: "test"))
        try await engine.execute("demo", input: Data("{}".utf8), id: WorkflowID("demo-waiting"))
        try await engine.execute("demo", input: Data("{}".utf8), id: WorkflowID("demo-broken"))
        try app.register(collection: WorkflowController(engine: engine))
        return engine
    }

    @Test(arguments: TestDatabase.available)
    func operatorsListShowPauseResumeAndCancelOverHTTP(_ kind: TestDatabase) async throws {
        try await kind.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                try await app.autoMigrate()
                _ = try await Self.seed(app)
                let headers = try await TestSecurity.headers(app, .biller)
                let decoder = JSONDecoder()
                decoder.dateDecodingStrategy = .iso8601
                try await app.testing().test(.GET, "api/v1/workflows?status=FAILED", headers: headers) {
                    response async throws in
                    #expect(response.status == .ok)
                    let rows = try decoder.decode([WorkflowDTO].self, from: Data(buffer: response.body))
                    #expect(rows.map(\.id) == ["demo-broken"])
                    #expect(rows.first?.lastError == "call: payer unreachable")
                }
                try await app.testing().test(.GET, "api/v1/workflows/demo-waiting", headers: headers) {
                    response async throws in
                    let detail = try decoder.decode(WorkflowDTO.self, from: Data(buffer: response.body))
                    #expect(detail.status == "IN_PROGRESS")
                    #expect(detail.steps?.map(\.status) == ["COMPLETED", "RUNNING"])
                    #expect(detail.steps?.last?.waitingFor == "answer-demo-waiting")
                    #expect(
                        detail.log?.map(\.to) == [
                            "PENDING", "IN_PROGRESS", "RUNNING", "COMPLETED", "RUNNING", "RUNNING",
                        ])
                }
                try await app.testing().test(.POST, "api/v1/workflows/demo-waiting/pause", headers: headers) {
                    response async throws in
                    #expect(response.status == .ok)
                    #expect(try decoder.decode(WorkflowDTO.self, from: Data(buffer: response.body)).status == "PAUSED")
                }
                try await app.testing().test(.POST, "api/v1/workflows/demo-broken/resume", headers: headers) {
                    response async throws in
                    let detail = try decoder.decode(WorkflowDTO.self, from: Data(buffer: response.body))
                    // Resumed for the workers: nothing runs in the request itself.
                    #expect(detail.status == "IN_PROGRESS")
                    #expect(detail.steps?.last?.attempts == 1)
                    #expect(
                        detail.log?.contains { $0.message == "resumed" && $0.actor.hasPrefix("user:biller-") } == true)
                }
                try await app.testing().test(.POST, "api/v1/workflows/demo-broken/cancel", headers: headers) {
                    response async throws in
                    #expect(
                        try decoder.decode(WorkflowDTO.self, from: Data(buffer: response.body)).status == "CANCELLED")
                }
                // Wrong transitions and unknown ids are problems, not crashes.
                try await app.testing().test(.POST, "api/v1/workflows/demo-broken/resume", headers: headers) {
                    response async throws in
                    #expect(response.status == .conflict)
                    #expect(response.headers.contentType?.description == "application/problem+json")
                    let problem = try JSONDecoder().decode(ProblemDetails.self, from: Data(buffer: response.body))
                    #expect(problem.detail == "workflow demo-broken cannot go from CANCELLED to IN_PROGRESS")
                }
                try await app.testing().test(.GET, "api/v1/workflows/nope", headers: headers) { response async throws in
                    #expect(response.status == .notFound)
                }
                try await app.testing().test(.GET, "api/v1/workflows?status=LOST", headers: headers) {
                    response async throws in
                    #expect(response.status == .badRequest)
                }
            }
        }
    }

    @Test func operatorsDoTheSameFromTheCommandLine() async throws {
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                try await app.autoMigrate()
                _ = try await Self.seed(app)
            }
            let environment = [
                "DATABASE_URL": try #require(CommandLineTests.databaseURL(configuration)),
                "RCM_KEYS_DIR": configuration.keysDirectory, "USER": "ops-tester",
            ]
            let list = try await CommandLineTests.run(
                ["workflows", "list", "--status", "failed"], environment: environment)
            #expect(list.status == 0, "\(list.stderr)")
            #expect(list.stdout.hasPrefix("demo-broken  demo  FAILED at call  "))
            #expect(list.stdout.hasSuffix("call: payer unreachable\n"))

            let paused = try await CommandLineTests.run(
                ["workflows", "pause", "demo-waiting"], environment: environment)
            #expect(paused.stdout == "demo-waiting: PAUSED\n")
            let again = try await CommandLineTests.run(
                ["workflows", "pause", "demo-waiting"], environment: environment)
            #expect(again.status == 1)
            #expect(again.stderr == "Error: workflow demo-waiting cannot go from PAUSED to PAUSED\n")
            let resumed = try await CommandLineTests.run(
                ["workflows", "resume", "demo-broken"], environment: environment)
            #expect(resumed.stdout.hasPrefix("demo-broken: IN_PROGRESS (a worker"))
            let cancelled = try await CommandLineTests.run(
                ["workflows", "cancel", "demo-waiting"], environment: environment)
            #expect(cancelled.stdout == "demo-waiting: CANCELLED\n")
            let shown = try await CommandLineTests.run(["workflows", "show", "demo-waiting"], environment: environment)
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            let detail = try decoder.decode(WorkflowDTO.self, from: Data(shown.stdout.utf8))
            #expect(detail.log?.suffix(2).map(\.to) == ["PAUSED", "CANCELLED"])
            #expect(detail.log?.last?.actor == "cli:ops-tester")
            let missing = try await CommandLineTests.run(["workflows", "show", "nope"], environment: environment)
            #expect(missing.stderr == "Error: no workflow nope\n")
        }
    }
}
