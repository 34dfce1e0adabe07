import Fluent
import Vapor

/// `/health/live` (the process answers) and `/health/ready` (the database answers and no
/// migration is pending), for load balancers and Kubernetes probes.
struct HealthController: RouteCollection {
    let location: DatabaseLocation

    func boot(routes: any RoutesBuilder) throws {
        let health = routes.grouped("health")
        health.get("live", use: live)
        health.get("ready", use: ready)
    }

    struct Status: Content {
        let status: String
    }

    @Sendable func live(request: Request) async throws -> Status {
        Status(status: "live")
    }

    /// 200 `{"status":"ready"}`, or 503 problem+json whose `detail` gives the reason.
    @Sendable func ready(request: Request) async throws -> Response {
        do {
            try await DatabaseConnectivity.check(request.db, location: location)
            let pending = try await MigrationStatus.read(on: request.db).pending
            guard pending.isEmpty else {
                return try ProblemDetails(
                    status: .serviceUnavailable,
                    detail:
                        "\(pending.count) migration(s) pending: \(pending.joined(separator: ", ")); run `rcm migrate --yes`"
                ).response()
            }
        } catch let error as ConfigurationError {
            return try ProblemDetails(status: .serviceUnavailable, detail: error.message).response()
        }
        return try await Status(status: "ready").encodeResponse(for: request)
    }
}
