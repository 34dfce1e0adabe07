import ArgumentParser
import Foundation
import RCMServer
import Vapor

/// `rcm worker`: workflow workers only, for scaling them apart from `rcm serve`.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run workflow workers until SIGINT or SIGTERM (needs HCX_BASE_URL).",
        discussion: """
            Each of RCM_WORKERS loops (default 4) leases a due workflow (a new run, a retry whose time has come, \
            a wait whose event arrived or whose deadline passed, a resumed run), advances it, and gives the lease \
            back. A worker that dies loses its leases after RCM_LEASE_SECONDS (default 30) and another continues. \
            With RCM_X12_SETTINGS, the X12 inbox is read too (999 and 835 files; docs/billing.md "X12 payers"). \
            On PostgreSQL any number of worker processes share the queue; on SQLite run one process.
            """)

    func run() async throws {
        let configuration = try RuntimeBootstrap.configuration(defaultLevel: .info)
        guard configuration.hcxBaseURL != nil else {
            throw ConfigurationError(
                "rcm worker needs HCX_BASE_URL (with HCX_USERNAME and HCX_SECRET): claim steps call the HCX gateway")
        }
        try await RuntimeBootstrap.withApplication(configuration, exclusive: true) { app in
            let services = try ClaimServices(
                app: app, configuration: configuration, hcx: try GatewayConnection.connection(configuration, app: app))
            let inbox = try services.x12InboxWatcher()
            let task = Task { await services.runWorkers(x12Inbox: inbox) }
            await TerminationSignal.wait()
            task.cancel()
            await task.value
        }
    }
}
