import ArgumentParser
import RCMServer
import Vapor

/// `rcm serve`: runs the HTTP server until SIGINT or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the HTTP server (health endpoints; more routes arrive with later work).")

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
            app.environment.arguments = ["rcm", "serve", "--hostname", hostname, "--port", "\(port)"]
            try await app.execute()
        }
    }
}
