import Foundation
import HCX
import HCXSandbox
import Logging
import RCMServer
import RevenueCycle
import Vapor

/// The embedded default of the main job (docs DESIGN.md §5): RCM's HCX callback server and the
/// HCX sandbox as two HTTP servers on ephemeral loopback ports in this process, wired to each
/// other, with key pairs and self-signed certificates from the key folder (generated on first use).
final class EmbeddedRuntime: Sendable {
    /// The sandbox gateway's participant code (issuer of the callbacks' bearer JWT).
    static let gatewayCode = "hcx-gateway@rcm-hcx-sandbox"

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

    /// Starts both servers on an application already configured and migrated.
    /// - Parameter sandboxRules: the sandbox payer's adjudication rule.
    static func start(
        app: Application, configuration: RCMConfiguration, sandboxRules: SandboxRules
    ) async throws -> EmbeddedRuntime {
        let keys = KeyDirectory(path: configuration.keysDirectory)
        let gatewayCode = Self.gatewayCode
        let providerKey = try keys.privateKey(named: "provider")
        let payerKey = try keys.privateKey(named: "sandbox-payer")
        let payerCode = configuration.recipientCode
        // Each side knows the other by its published certificate, as HCX participants do.
        let providerCertificate = try RSAPublicKey(
            certificatePEM: try keys.certificatePEM(named: "provider", participantCode: configuration.participantCode))
        let payerCertificate = try RSAPublicKey(
            certificatePEM: try keys.certificatePEM(named: "sandbox-payer", participantCode: payerCode))
        let gatewayKey = try keys.privateKey(named: "sandbox-gateway")
        let gatewayCertificate = try keys.certificatePEM(named: "sandbox-gateway", participantCode: gatewayCode)
        let sandbox = try await SandboxServer.start(
            versionPrefix: configuration.hcxVersionPrefix, payerCode: payerCode, payerKey: payerKey,
            gatewayKey: gatewayKey, gatewayCode: gatewayCode, rules: sandboxRules, logger: Logger(label: "rcm.sandbox"))
        do {
            let hcx = HCXConnection(
                participantCode: configuration.participantCode,
                client: HCXClient(baseURL: sandbox.baseURL, httpClient: app.http.client.shared, logger: app.logger),
                privateKey: providerKey,
                recipientKey: { code in
                    guard code == payerCode else {
                        throw HCXProtocolError(.invalidRecipient, "no encryption key for participant '\(code)'")
                    }
                    return payerCertificate
                })
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
            await sandbox.registry.register(
                SandboxParticipant(
                    code: configuration.participantCode, endpointURL: callbackURL, encryptionKey: providerCertificate)
            )
            // Callbacks received before a crash but never processed are applied now.
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
