import Foundation
import HCX
import HCXSandbox
import Logging
import RCMServer
import RevenueCycle
import Vapor

/// The embedded default of the main job (docs DESIGN.md §5): RCM's HCX callback server and the
/// HCX sandbox as two HTTP servers on ephemeral loopback ports in this process, wired to each
/// other as a real provider and gateway are: RCM logs in at the sandbox's token endpoint, finds
/// the payer's certificate through its registry, and verifies the sandbox gateway's bearer JWT
/// on callbacks. Keys and self-signed certificates come from the key folder (generated on first
/// use); the sandbox keeps its state in `RCM_SANDBOX_STATE`.
final class EmbeddedRuntime: Sendable {
    let app: Application
    let sandbox: SandboxServer
    let services: ClaimServices
    /// RCM's callback base URL, e.g. `http://127.0.0.1:53118/v0.7`.
    let callbackURL: String

    private init(app: Application, sandbox: SandboxServer, services: ClaimServices, callbackURL: String) {
        self.app = app
        self.sandbox = sandbox
        self.services = services
        self.callbackURL = callbackURL
    }

    /// The sandbox rules the configuration names (`RCM_SANDBOX_RULES`), or the default.
    /// - Throws: ``HCXSandbox/SandboxRulesError`` for an unreadable or invalid file.
    static func rules(_ configuration: RCMConfiguration) throws -> SandboxRules {
        try configuration.sandboxRulesPath.map(SandboxRules.load(contentsOf:)) ?? .default
    }

    /// Starts both servers on an application already configured and migrated.
    /// - Parameter sandboxRules: the sandbox payer's policy book and faults.
    static func start(
        app: Application, configuration: RCMConfiguration, sandboxRules: SandboxRules
    ) async throws -> EmbeddedRuntime {
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
        let gatewayCertificate = try keys.certificatePEM(
            named: "sandbox-gateway", participantCode: sandboxConfiguration.gatewayCode)
        let sandbox = try await SandboxServer.start(sandboxConfiguration, logger: Logger(label: "rcm.sandbox"))
        do {
            // A fresh login secret per run: the sandbox registry is told it below.
            let secret = UUID().uuidString
            let hcx = HCXConnection.gateway(
                participantCode: configuration.participantCode, baseURL: sandbox.baseURL,
                credentials: .apiAccess(
                    participantCode: configuration.participantCode, username: "rcm", secret: secret),
                privateKey: providerKey, httpClient: app.http.client.shared, logger: app.logger)
            let services = ClaimServices(app: app, configuration: configuration, hcx: hcx)
            try configureHCXCallbacks(
                app, configuration, services: services,
                gateway: try await .verifying(gatewayCertificateOrPublicKeyPEM: gatewayCertificate))
            try await app.asyncBoot()
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            guard let port = app.http.server.shared.localAddress?.port else {
                throw ConfigurationError("the callback server did not bind a port")
            }
            let callbackURL = "http://127.0.0.1:\(port)\(configuration.hcxVersionPrefix)"
            await sandbox.register(
                SandboxParticipant(
                    code: configuration.participantCode, name: "RCM provider", roles: ["provider"],
                    endpointURL: callbackURL, encryptionCertificatePEM: providerCertificate, username: "rcm",
                    secret: secret))
            // Work either side left unfinished in an interrupted run is finished now.
            try await sandbox.resumeUnfinishedWork()
            try await services.receiver.processPending()
            return EmbeddedRuntime(app: app, sandbox: sandbox, services: services, callbackURL: callbackURL)
        } catch {
            await sandbox.shutdown()
            throw error
        }
    }

    /// Starts the runtime, runs `body` with it and stops it, whether `body` succeeds or throws.
    static func run<T>(
        app: Application, configuration: RCMConfiguration, sandboxRules: SandboxRules,
        _ body: (EmbeddedRuntime) async throws -> T
    ) async throws -> T {
        let runtime = try await start(app: app, configuration: configuration, sandboxRules: sandboxRules)
        do {
            let result = try await body(runtime)
            await runtime.stop()
            return result
        } catch {
            await runtime.stop()
            throw error
        }
    }

    /// Stops both servers (the application itself is shut down by its owner).
    func stop() async {
        await sandbox.shutdown()
        await app.server.shutdown()
    }
}
