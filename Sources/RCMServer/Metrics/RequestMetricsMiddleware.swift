import Foundation
import Metrics
import Vapor

/// Counts and times every HTTP request by route template — never the raw path, which carries ids —
/// (`rcm_requests_total` {method, route, status}, `rcm_request_duration_seconds` {method, route}),
/// and counts failures (`rcm_errors_total` {type: client|server, route}); docs DESIGN.md §7.
public struct RequestMetricsMiddleware: AsyncMiddleware {
    public static let requestsTotal = "rcm_requests_total"
    public static let requestDurationSeconds = "rcm_request_duration_seconds"
    public static let errorsTotal = "rcm_errors_total"

    public init() {}

    public func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let started = ContinuousClock.now
        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            record(request, status: (error as? any AbortError)?.status.code ?? 500, started: started)
            throw error
        }
        record(request, status: response.status.code, started: started)
        return response
    }

    /// Exports the duration histogram of every registered route before its first request
    /// (Prometheus: "avoid missing metrics"); the counters need a status, known only once answered.
    public static func prime(_ routes: [Route]) {
        for route in routes {
            _ = Timer(
                label: requestDurationSeconds,
                dimensions: [("method", route.method.rawValue), ("route", label(route))],
                preferredDisplayUnit: .seconds)
        }
    }

    /// The route label: the template (`/api/v1/claims/:id`), never the raw path.
    static func label(_ route: Route) -> String { "/" + route.path.map(\.description).joined(separator: "/") }

    private func record(_ request: Request, status: UInt, started: ContinuousClock.Instant) {
        let route = request.route.map(Self.label) ?? "unmatched"
        let method = request.method.rawValue
        Counter(
            label: Self.requestsTotal, dimensions: [("method", method), ("route", route), ("status", "\(status)")]
        ).increment()
        let elapsed = ContinuousClock.now - started
        Timer(
            label: Self.requestDurationSeconds, dimensions: [("method", method), ("route", route)],
            preferredDisplayUnit: .seconds
        ).recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
        if status >= 400 {
            Counter(
                label: Self.errorsTotal, dimensions: [("type", status >= 500 ? "server" : "client"), ("route", route)]
            ).increment()
        }
    }
}
