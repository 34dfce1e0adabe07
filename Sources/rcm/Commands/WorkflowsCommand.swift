import ArgumentParser
import Foundation
import RCMServer
import Vapor
import Workflow

/// `rcm workflows list|show|resume|pause|cancel`: the operator's view of workflow runs.
struct WorkflowsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workflows", abstract: "List, show, resume, pause or cancel workflow runs.",
        subcommands: [List.self, Show.self, Resume.self, Pause.self, Cancel.self])

    /// Runs `body` with the claim services over the configured database.
    static func withServices<T>(exclusive: Bool, _ body: (ClaimServices) async throws -> T) async throws -> T {
        let configuration = try RuntimeBootstrap.configuration(defaultLevel: .warning)
        return try await RuntimeBootstrap.withMigratedApplication(configuration, exclusive: exclusive) { app in
            try await body(
                try ClaimServices(
                    app: app, configuration: configuration,
                    hcx: try GatewayConnection.connectionOrUnconfigured(configuration, app: app), codeSets: false))
        }
    }

    /// Who acts, for the workflow log: `cli:<operating-system user>`.
    static var actor: String {
        "cli:\(ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.userName)"
    }

    static func print(_ value: some Encodable) throws {
        Swift.print(String(decoding: try WorkflowDTO.encoder.encode(value), as: UTF8.self))
    }

    /// A transition from the command line, audited as `cli:<user>` with the status before and after.
    static func transition(
        _ id: String, action: String,
        _ body: @escaping @Sendable (WorkflowEngine, WorkflowID) async throws -> WorkflowRecord
    ) async throws -> WorkflowRecord {
        do {
            return try await withServices(exclusive: true) { services in
                try await services.audit.change {
                    let workflowID = WorkflowID(id)
                    let before = try await services.engine.status(workflowID).workflow.status
                    let run = try await body(services.engine, workflowID)
                    try await services.audit.append(
                        AuditTrail.Record(
                            actor: actor, action: action, resourceType: "workflow", resourceID: id, outcome: "success",
                            changes: ["status": AuditChange(before: before.rawValue, after: run.status.rawValue)]))
                    return run
                }
            }
        } catch { throw operatorError(error) }
    }

    /// Engine errors as one line.
    static func operatorError(_ error: any Error) -> any Error {
        guard let error = error as? WorkflowError else { return error }
        return OperatorError(error.description)
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List runs, most recently updated first.")

        @ArgumentParser.Option(
            help: "Only runs in this state: PENDING, IN_PROGRESS, COMPLETED, FAILED, PAUSED, CANCELLED.")
        var status: String?

        @ArgumentParser.Option(help: "At most this many.")
        var limit = 50

        @ArgumentParser.Flag(help: "Print JSON.")
        var json = false

        func run() async throws {
            let wanted = try status.map { try CommandValue.parse($0, as: WorkflowStatus.self, option: "--status") }
            let rows = try await WorkflowsCommand.withServices(exclusive: false) { services in
                try await services.engine.list(status: wanted, limit: limit).map(WorkflowDTO.init)
            }
            if json { return try WorkflowsCommand.print(rows) }
            let formatter = ISO8601DateFormatter()
            for row in rows {
                let step = row.currentStep.map { " at \($0)" } ?? ""
                let error = row.lastError.map { "  \($0)" } ?? ""
                Swift.print(
                    "\(row.id)  \(row.definition)  \(row.status)\(step)  \(formatter.string(from: row.updatedAt))\(error)"
                )
            }
            if rows.isEmpty { Swift.print("no workflows") }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a run: its steps (status, attempts, timings, last error) and log, as JSON.")

        @ArgumentParser.Argument(help: "The workflow id, e.g. claim-<claim id>.")
        var id: String

        func run() async throws {
            do {
                let detail = try await WorkflowsCommand.withServices(exclusive: false) { services in
                    let detail = WorkflowDTO(try await services.engine.status(WorkflowID(id)))
                    try await services.audit.append(
                        AuditTrail.Record(
                            actor: WorkflowsCommand.actor, action: "workflow.read", resourceType: "workflow",
                            resourceID: id, outcome: "success"))
                    return detail
                }
                try WorkflowsCommand.print(detail)
            } catch { throw WorkflowsCommand.operatorError(error) }
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Resume a FAILED or PAUSED run from where it stopped; a worker continues it.")

        @ArgumentParser.Argument(help: "The workflow id.")
        var id: String

        func run() async throws {
            let run = try await WorkflowsCommand.transition(id, action: "workflow.resume") { engine, id in
                try await engine.resume(id, actor: WorkflowsCommand.actor, advance: false)
            }
            Swift.print(
                "\(id): \(run.status.rawValue) (a worker — rcm worker, rcm serve or the next rcm process — continues it)"
            )
        }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pause a run between steps.")

        @ArgumentParser.Argument(help: "The workflow id.")
        var id: String

        func run() async throws {
            let run = try await WorkflowsCommand.transition(id, action: "workflow.pause") { engine, id in
                try await engine.pause(id, actor: WorkflowsCommand.actor)
            }
            Swift.print("\(id): \(run.status.rawValue)")
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a run for good.")

        @ArgumentParser.Argument(help: "The workflow id.")
        var id: String

        func run() async throws {
            let run = try await WorkflowsCommand.transition(id, action: "workflow.cancel") { engine, id in
                try await engine.cancel(id, actor: WorkflowsCommand.actor)
            }
            Swift.print("\(id): \(run.status.rawValue)")
        }
    }
}
