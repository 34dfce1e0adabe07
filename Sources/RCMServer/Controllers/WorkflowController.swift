import Foundation
import Vapor
import Workflow

/// `/api/v1/workflows`: list runs (`?status=FAILED&limit=50`), show one with steps and log, and
/// resume, pause or cancel it (docs DESIGN.md §4). Unknown ids answer 404; a transition the run's
/// state does not allow answers 409; all as problem+json.
struct WorkflowController: RouteCollection {
    let engine: WorkflowEngine

    func boot(routes: any RoutesBuilder) throws {
        let workflows = routes.grouped("api", "v1", "workflows")
        workflows.get(use: list)
        workflows.get(":id", use: show)
        // A resumed run is continued by a worker (rcm serve's, rcm worker's or rcm process's), not here.
        workflows.post(":id", "resume") {
            try await transition($0) { id, actor in try await engine.resume(id, actor: actor, advance: false) }
        }
        workflows.post(":id", "pause") {
            try await transition($0) { id, actor in try await engine.pause(id, actor: actor) }
        }
        workflows.post(":id", "cancel") {
            try await transition($0) { id, actor in try await engine.cancel(id, actor: actor) }
        }
    }

    @Sendable func list(request: Request) async throws -> Response {
        var status: WorkflowStatus?
        if let text = request.query[String.self, at: "status"] {
            do {
                status = try NamedValue.parse(text, as: WorkflowStatus.self, name: "status")
            } catch let error as NamedValueError {
                throw Abort(.badRequest, reason: error.description)
            }
        }
        let limit = try QueryLimit.read(request, default: 100, maximum: 1000)
        return try json(try await engine.list(status: status, limit: limit).map(WorkflowDTO.init))
    }

    @Sendable func show(request: Request) async throws -> Response {
        try await mapped { try json(WorkflowDTO(try await engine.status(try id(request)))) }
    }

    private func transition(
        _ request: Request, _ action: @Sendable (WorkflowID, String) async throws -> WorkflowRecord
    ) async throws -> Response {
        try await mapped {
            let id = try id(request)
            let before = try await engine.status(id).workflow.status
            let actor = request.principal?.actor ?? "api:\(request.remoteAddress?.ipAddress ?? "unknown")"
            let after = try await action(id, actor).status
            request.auditChanges = ["status": AuditChange(before: before.rawValue, after: after.rawValue)]
            return try json(WorkflowDTO(try await engine.status(id)))
        }
    }

    private func id(_ request: Request) throws -> WorkflowID {
        guard let text = request.parameters.get("id"), !text.isEmpty else { throw Abort(.badRequest, reason: "id") }
        return WorkflowID(text)
    }

    /// Engine errors as HTTP statuses.
    private func mapped(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as WorkflowError {
            switch error {
            case .notFound: throw Abort(.notFound, reason: error.description)
            case .illegalTransition: throw Abort(.conflict, reason: error.description)
            default: throw error
            }
        }
    }

    private func json(_ value: some Encodable) throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: try WorkflowDTO.encoder.encode(value)))
    }
}
