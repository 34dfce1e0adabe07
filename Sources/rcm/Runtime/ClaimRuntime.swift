import Foundation
import HCX
import HCXSandbox
import Logging
import RCMServer
import RevenueCycle
import Vapor

/// The main job's runtime: RCM's HCX callback server and a gateway to send through.
///
/// With no `HCX_BASE_URL` (the embedded default, docs DESIGN.md §5) the gateway is the HCX
/// sandbox, started in this process on an ephemeral loopback port and wired as a real gateway
/// is: RCM logs in at its token endpoint, finds the payer's certificate through its registry, and
/// verifies its bearer JWT on callbacks; the callback server takes another ephemeral port and is
/// registered with the sandbox. With `HCX_BASE_URL` the gateway is that one (for example
/// `rcm sandbox` in another terminal) and the callback server listens where the gateway's
/// registry says RCM's `endpoint_url` is.
final class ClaimRuntime: Sendable {
    let app: Application
    /// The embedded sandbox; `nil` when `HCX_BASE_URL` names the gateway.
    let sandbox: SandboxServer?
    let services: ClaimServices
    /// RCM's callback base URL, e.g. `http://127.0.0.1:53118/v0.7`.
    let callbackURL: String
    /// Workflow workers for the run's duration: they pick up retries, woken waits and runs an
    /// operator resumed; with X12 settings, the inbox watcher beside them.
    private let workers: Task<Void, Never>
    /// The embedded sandbox's clearinghouse, answering the 837P files of X12 payers (when
    /// `RCM_X12_SETTINGS` is set and no `HCX_BASE_URL`).
    private let clearinghouse: Task<Void, Never>?

    private init(
        app: Application, sandbox: SandboxServer?, services: ClaimServices, callbackURL: String,
        configuration: RCMConfiguration
    ) throws {
        self.app = app
        self.sandbox = sandbox
        self.services = services
        self.callbackURL = callbackURL
        let inbox = try services.x12InboxWatcher()
        self.workers = Task { await services.runWorkers(x12Inbox: inbox) }
        if let sandbox, let path = configuration.x12SettingsPath {
            let settings = try X12Settings.load(path: path)
            let clearinghouse = SandboxClearinghouse(
                rules: sandbox.configuration.rules, store: sandbox.store, outbox: settings.outbox,
                inbox: settings.inbox,
                logger: Logger(label: "rcm.sandbox.x12"))
            self.clearinghouse = Task { await clearinghouse.run() }
        } else {
            self.clearinghouse = nil
        }
    }

    /// The sandbox rules the configuration names (`RCM_SANDBOX_RULES`), or the default.
    /// - Throws: ``HCXSandbox/SandboxRulesError`` for an unreadable or invalid file.
    static func rules(_ configuration: RCMConfiguration) throws -> SandboxRules {
        try configuration.sandboxRulesPath.map(SandboxRules.load(contentsOf:)) ?? .default
    }

    /// Starts the runtime on an application already configured and migrated.
    /// - Parameters:
    ///   - sandboxRules: the embedded sandbox payer's policy book and faults.
    ///   - callbackHost, callbackPort: where the callback server listens when `HCX_BASE_URL` is set.
    static func start(
        app: Application, configuration: RCMConfiguration, sandboxRules: SandboxRules,
        callbackHost: String = "127.0.0.1", callbackPort: Int = 8000
    ) async throws -> ClaimRuntime {
        if configuration.hcxBaseURL != nil {
            let hcx = try GatewayConnection.connection(configuration, app: app)
            let services = try ClaimServices(app: app, configuration: configuration, hcx: hcx)
            try configureHCXCallbacks(
                app, configuration, services: services,
                gateway: try await GatewayConnection.authenticator(configuration))
            let callbackURL = try await serve(app, host: callbackHost, port: callbackPort, configuration)
            try await services.recoverUnfinishedWork()
            return try ClaimRuntime(
                app: app, sandbox: nil, services: services, callbackURL: callbackURL, configuration: configuration)
        }
        let keys = KeyDirectory(path: configuration.keysDirectory)
        let providerKey = try keys.privateKey(named: "provider")
        let providerCertificate = try keys.certificatePEM(
            named: "provider", participantCode: configuration.participantCode)
        var sandboxConfiguration = try SandboxConfiguration.fromKeyDirectory(
            keys, payerCode: configuration.recipientCode, rules: sandboxRules)
        sandboxConfiguration.versionPrefix = configuration.hcxVersionPrefix
        sandboxConfiguration.databasePath = configuration.sandboxStatePath
        if let path = configuration.sandboxStatePath {
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        }
        let sandbox = try await SandboxServer.start(sandboxConfiguration, logger: Logger(label: "rcm.sandbox"))
        do {
            // A fresh login secret per run: the sandbox registry is told it below.
            let secret = UUID().uuidString
            let hcx = HCXConnection.gateway(
                participantCode: configuration.participantCode, baseURL: sandbox.baseURL,
                credentials: .apiAccess(
                    participantCode: configuration.participantCode, username: "rcm", secret: secret),
                privateKey: providerKey, httpClient: app.http.client.shared, logger: app.logger)
            let services = try ClaimServices(app: app, configuration: configuration, hcx: hcx)
            try configureHCXCallbacks(
                app, configuration, services: services,
                gateway: try await .verifying(
                    gatewayCertificateOrPublicKeyPEM: try keys.certificatePEM(
                        named: "sandbox-gateway", participantCode: sandboxConfiguration.gatewayCode)))
            let callbackURL = try await serve(app, host: "127.0.0.1", port: 0, configuration)
            await sandbox.register(
                SandboxParticipant(
                    code: configuration.participantCode, name: "RCM provider", roles: ["provider"],
                    endpointURL: callbackURL, encryptionCertificatePEM: providerCertificate, username: "rcm",
                    secret: secret))
            // Work either side left unfinished in an interrupted run is finished now.
            try await sandbox.resumeUnfinishedWork()
            try await services.recoverUnfinishedWork()
            return try ClaimRuntime(
                app: app, sandbox: sandbox, services: services, callbackURL: callbackURL, configuration: configuration)
        } catch {
            await sandbox.shutdown()
            throw error
        }
    }

    /// Boots the application and starts its HTTP server.
    /// - Returns: the callback base URL with the version prefix.
    private static func serve(_ app: Application, host: String, port: Int, _ configuration: RCMConfiguration)
        async throws -> String
    {
        try await app.asyncBoot()
        try await app.server.start(address: .hostname(host, port: port))
        guard let bound = app.http.server.shared.localAddress?.port else {
            throw ConfigurationError("the callback server did not bind a port")
        }
        return "http://\(host):\(bound)\(configuration.hcxVersionPrefix)"
    }

    /// Starts the runtime, runs `body` with it and stops it, whether `body` succeeds or throws.
    static func run<T>(
        app: Application, configuration: RCMConfiguration, sandboxRules: SandboxRules,
        callbackHost: String = "127.0.0.1", callbackPort: Int = 8000, _ body: (ClaimRuntime) async throws -> T
    ) async throws -> T {
        let runtime = try await start(
            app: app, configuration: configuration, sandboxRules: sandboxRules, callbackHost: callbackHost,
            callbackPort: callbackPort)
        do {
            let result = try await body(runtime)
            await runtime.stop()
            return result
        } catch {
            await runtime.stop()
            throw error
        }
    }

    /// Stops the workers and both servers (the application itself is shut down by its owner).
    func stop() async {
        clearinghouse?.cancel()
        await clearinghouse?.value
        workers.cancel()
        await workers.value
        await sandbox?.shutdown()
        await app.server.shutdown()
    }
}
