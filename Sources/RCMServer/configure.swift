import Fluent
import Vapor

/// Sets up an application for RCM: error responses, the database, migrations and routes.
/// - Throws: ``ConfigurationError`` when the database settings are unusable.
public func configure(_ app: Application, _ configuration: RCMConfiguration) throws {
    app.middleware = Middlewares()
    app.middleware.use(RequestIDMiddleware())
    app.middleware.use(RequestMetricsMiddleware())
    app.middleware.use(RouteLoggingMiddleware(logLevel: .info))
    app.middleware.use(ProblemDetailsMiddleware())
    // Sizes, then InputText's one rule at the door: paths and query strings here, JSON bodies in
    // their decoder.
    app.middleware.use(RequestLimitsMiddleware())
    app.middleware.use(InputTextMiddleware())
    app.routes.defaultMaxBodySize = RequestLimits.defaultBody
    InputTextDecoder.install()
    // HCXClient retries with its own backoff; a refused connection must reach it at once instead of
    // being retried inside AsyncHTTPClient until the connect timeout.
    app.http.client.configuration.connectionPool.retryConnectionEstablishment = false
    app.http.client.configuration.timeout.connect = .seconds(10)
    // RCM's own request metrics (rcm_requests_total, …) replace Vapor's http_requests_total.
    app.http.server.configuration.reportMetrics = false
    try configureDatabase(app, configuration.database, poolSize: configuration.databasePoolSize)
    configureMigrations(app)
    try configureRoutes(app, configuration)
}
