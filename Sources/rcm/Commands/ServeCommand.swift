import ArgumentParser
import RCMServer
import Vapor

/// `rcm serve`: runs the HTTP server (and workflow workers) until SIGINT or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP server: health, /api/v1/workflows, the HCX callbacks, and workflow workers.",
        discussion: """
            With HCX_BASE_URL (and HCX_USERNAME with HCX_SECRET or HCX_PASSWORD) the HCX callback routes are \
            served under HCX_VERSION_PREFIX: the gateway's bearer JWT is checked against HCX_GATEWAY_CERT, \
            messages are opened with HCX_PRIVATE_KEY, stored, acknowledged with 202 and processed; and \
            RCM_WORKERS workflow workers (default 4) run due workflows unless --no-workers or RCM_WORKERS=0.
            """)

    /// How long, in seconds, requests in flight at SIGTERM may take to finish before the server
    /// closes their connections: 25 s, which with the Kubernetes preStop delay of 5 s fits in
    /// `terminationGracePeriodSeconds: 30` (k8s/deployment.yaml).
    static let drainSeconds = 25

    @ArgumentParser.Option(help: "Address to listen on (containers pass 0.0.0.0).")
    var hostname = "127.0.0.1"

    @ArgumentParser.Option(help: "TCP port to listen on.")
    var port = 8000

    @ArgumentParser.Flag(help: "Do not run workflow workers in this process (scale them with rcm worker).")
    var noWorkers = false

    func validate() throws {
        guard (1...65_535).contains(port) else {
            throw ValidationError("--port must be between 1 and 65535, got \(port)")
        }
    }

    func run() async throws {
        let configuration = try RuntimeBootstrap.configuration(defaultLevel: .info)
        try await RuntimeBootstrap.withApplication(configuration, exclusive: true) { app in
            let services = try ClaimServices(
                app: app, configuration: configuration,
                hcx: try GatewayConnection.connectionOrUnconfigured(configuration, app: app))
            let chargemaster = try ChargemasterFile.load(configuration.chargemasterPath)
            try configureWorkflowRoutes(app, services: services, chargemaster: chargemaster)
            try configureConsole(app, services: services, configuration: configuration, chargemaster: chargemaster)
            let catalog = try SharedCodeSets.catalog()
            try configureCodeRoutes(app, catalog: catalog)
            // The word indexes of code search, built while the server starts taking requests.
            Task.detached(priority: .background) {
                for release in catalog.releases.values.joined() { release.prepareSearch() }
            }
            var workers: Task<Void, Never>?
            // The analytics summary kept up to date between reads, when asked for (see
            // `RCM_ANALYTICS_REFRESH_SECONDS`).
            var summing: Task<Void, Never>?
            if let seconds = configuration.analyticsRefreshSeconds,
                try await SchemaMigrations.status(app).pending.isEmpty
            {
                let analytics = services.analytics
                let logger = app.logger
                summing = Task.detached(priority: .utility) {
                    await analytics.keepSummed(intervalSeconds: seconds, logger: logger)
                }
            }
            if configuration.hcxBaseURL != nil {
                try configureHCXCallbacks(
                    app, configuration, services: services,
                    gateway: try await GatewayConnection.authenticator(configuration))
                if try await SchemaMigrations.status(app).pending.isEmpty {
                    try await services.recoverUnfinishedWork()
                } else {
                    app.logger.warning("migrations are pending: run `rcm migrate --yes` (see /health/ready)")
                }
                if !noWorkers, configuration.workers > 0 {
                    let inbox = try services.x12InboxWatcher()
                    workers = Task { await services.runWorkers(x12Inbox: inbox) }
                }
            } else {
                app.logger.notice("HCX_BASE_URL is not set: no HCX callbacks and no workflow workers")
            }
            MetricsExport.primeContractMetrics(
                app, payers: [configuration.recipientCode], workflowDefinitions: services.engine.definitionNames)
            app.environment.arguments = ["rcm", "serve", "--hostname", hostname, "--port", "\(port)"]
            app.http.server.configuration.shutdownTimeout = .seconds(Int64(Self.drainSeconds))
            do {
                try await app.execute()
            } catch {
                workers?.cancel()
                summing?.cancel()
                await workers?.value
                await summing?.value
                throw error
            }
            // SIGTERM or SIGINT: stop accepting and let the requests in flight finish while the
            // database is still open (Vapor would otherwise close both at once), then stop the
            // workers, which give their leases back so another replica continues at once.
            await app.server.shutdown()
            workers?.cancel()
            summing?.cancel()
            await workers?.value
            await summing?.value
        }
    }
}
