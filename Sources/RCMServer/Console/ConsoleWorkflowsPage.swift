import Foundation
import Vapor
import Workflow

/// The console's workflow runs that need an operator (`/workflows`): failed, paused, and waiting or
/// in progress, with resume, pause and cancel as forms (`POST /workflows/{id}/resume|pause|cancel`,
/// the API's rules and audit for `POST /api/v1/workflows/:id/…`; a resumed run is continued by a
/// worker).
extension ConsoleController {
    struct WorkflowsPage: Encodable {
        struct Run: Encodable {
            let id: String
            let status: String
            let step: String
            let lastError: String
            let updatedAt: String
            let canResume: Bool
            let canPause: Bool
        }
        struct Group: Encodable {
            let status: String
            let title: String
            let runs: [Run]
        }
        let layout: ConsoleLayout
        let groups: [Group]
        let canOperate: Bool
        let message: String?
        let error: String?
    }

    @Sendable func workflows(request: Request) async throws -> Response {
        try await workflowsPage(request, message: request.query[String.self, at: "done"], error: nil, status: .ok)
    }

    func workflowsPage(_ request: Request, message: String?, error: String?, status: HTTPResponseStatus)
        async throws -> Response
    {
        let formatter = ISO8601DateFormatter()
        var groups: [WorkflowsPage.Group] = []
        for (status, title) in [
            (WorkflowStatus.failed, "Failed"), (.paused, "Paused"), (.inProgress, "In progress or waiting"),
        ] {
            let runs = try await engine.list(status: status, limit: 100).map { run in
                WorkflowsPage.Run(
                    id: run.id.rawValue, status: run.status.rawValue, step: run.currentStep ?? "",
                    lastError: run.lastError ?? "", updatedAt: formatter.string(from: run.updatedAt),
                    canResume: [.failed, .paused].contains(run.status), canPause: run.status == .inProgress)
            }
            groups.append(.init(status: status.rawValue.lowercased(), title: title, runs: runs))
        }
        let page = WorkflowsPage(
            layout: layout(request, title: "Workflows", section: "workflows"), groups: groups,
            canOperate: Self.allows(request, "POST /api/v1/workflows/:id/resume"), message: message, error: error)
        return try await Self.render(request, "workflows", page, status: status)
    }

    func operate(_ request: Request, _ action: String) async throws -> Response {
        let id = WorkflowID(request.parameters.get("id") ?? "")
        let actor = request.principal?.actor ?? "unknown"
        do {
            let before = try await engine.status(id).workflow.status
            let after: WorkflowRecord
            switch action {
            case "resume": after = try await engine.resume(id, actor: actor, advance: false)
            case "pause": after = try await engine.pause(id, actor: actor)
            default: after = try await engine.cancel(id, actor: actor)
            }
            request.auditChanges = ["status": AuditChange(before: before.rawValue, after: after.status.rawValue)]
            return Self.redirect(
                request, to: "/workflows", done: "\(id): \(action) recorded (\(after.status.rawValue))")
        } catch let error as WorkflowError {
            let status: HTTPResponseStatus
            if case .notFound = error { status = .notFound } else { status = .conflict }
            return try await workflowsPage(request, message: nil, error: error.description, status: status)
        }
    }
}
