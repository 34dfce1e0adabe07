import Vapor

/// `GET /metrics`: the Prometheus text exposition of the process's metrics (open, like `/health`).
struct MetricsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("metrics") { _ -> Response in
            var headers = HTTPHeaders()
            headers.add(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
            return Response(status: .ok, headers: headers, body: .init(string: MetricsExport.exposition()))
        }
    }
}
