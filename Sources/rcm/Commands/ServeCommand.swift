import ArgumentParser
import RCMServer
import Vapor

/// `rcm serve`: runs the HTTP server until SIGINT or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP server: health endpoints, and the HCX callbacks when HCX_BASE_URL is set.",
        discussion: """
            With HCX_BASE_URL (and HCX_USERNAME with HCX_SECRET or HCX_PASSWORD) the HCX callback routes are \
            served under HCX_VERSION_PREFIX: the gateway's bearer JWT is checked against HCX_GATEWAY_CERT, \
            messages are opened with HCX_PRIVATE_KEY, stored, acknowledged with 202 and processed.
            """)

    @ArgumentParser.Option(help: "Address to listen on (containers pass 0.0.0.0).")
    var hostname = "127.0.0.1"

    @ArgumentParser.Option(help: "TCP port to listen on.")
    var port = 8000

    func validate() throws {
        guard (1...65_535).contains(port) else {
            throw ValidationError("--port must be between 1 and 65535, got \(port)")
        }
    }

    func run() async throws {
        let configuration = try RuntimeBootstrap.configuration(defaultLevel: .info)
        try await RuntimeBootstrap.withApplication(configuration, exclusive: true) { app in
            if configuration.hcxBaseURL != nil {
                let services = ClaimServices(
                    app: app, configuration: configuration,
                    hcx: try GatewayConnection.connection(configuration, app: app))
                try configureHCXCallbacks(
                    app, configuration, services: services,
                    gateway: try await GatewayConnection.authenticator(configuration))
                try await services.receiver.processPending()
            } else {
                app.logger.notice("HCX_BASE_URL is not set: serving health endpoints only")
            }
            app.environment.arguments = ["rcm", "serve", "--hostname", hostname, "--port", "\(port)"]
            try await app.execute()
        }
    }
}
