import Foundation
import HCX
import Logging
import NIOConcurrencyHelpers
import Vapor

/// The HCX sandbox as a running HTTP server on loopback: gateway checks and a payer that
/// adjudicates claims and calls back (docs DESIGN.md §5).
///
/// Walking-skeleton scope: `/claim/submit` with `on_submit` callbacks and a per-claim limit rule;
/// token, registry endpoints, the rules file and fault injection come with the sandbox issue.
public final class SandboxServer: Sendable {
    /// The payer's participant code.
    public let payerCode: String
    /// Participants the sandbox delivers to.
    public let registry: SandboxRegistry
    /// Base URL including the version prefix, e.g. `http://127.0.0.1:53117/v0.7`.
    public let baseURL: String
    private let app: Application
    private let stopped = NIOLockedValueBox(false)

    private init(payerCode: String, registry: SandboxRegistry, baseURL: String, app: Application) {
        self.payerCode = payerCode
        self.registry = registry
        self.baseURL = baseURL
        self.app = app
    }

    /// Starts the sandbox.
    /// - Parameters:
    ///   - port: TCP port on `hostname`; 0 picks a free ephemeral port.
    ///   - versionPrefix: e.g. `/v0.7`.
    ///   - payerKey: the payer's private key (its public half encrypts claims to it).
    ///   - gatewayKey: the gateway's private key, which signs the bearer JWT on callbacks.
    ///   - gatewayCode: the gateway's participant code (`iss`/`sub` of those JWTs).
    public static func start(
        hostname: String = "127.0.0.1", port: Int = 0, versionPrefix: String, payerCode: String,
        payerKey: RSAPrivateKey, gatewayKey: RSAPrivateKey, gatewayCode: String, rules: SandboxRules, logger: Logger
    ) async throws -> SandboxServer {
        let app = try await Application.make(.custom(name: "sandbox"), .singleton, logger: logger)
        do {
            // Callbacks are retried by HCXClient's own policy (see RCMServer's configure).
            app.http.client.configuration.connectionPool.retryConnectionEstablishment = false
            let registry = SandboxRegistry()
            try app.register(
                collection: SandboxPayerController(
                    versionPrefix: versionPrefix, payerCode: payerCode, payerKey: payerKey, registry: registry,
                    rules: rules, gateway: try await .signing(with: gatewayKey, gatewayCode: gatewayCode),
                    httpClient: app.http.client.shared, logger: logger))
            try await app.asyncBoot()
            try await app.server.start(address: .hostname(hostname, port: port))
            guard let bound = app.http.server.shared.localAddress?.port else {
                throw ConfigurationError("the sandbox did not bind a port")
            }
            return SandboxServer(
                payerCode: payerCode, registry: registry, baseURL: "http://\(hostname):\(bound)\(versionPrefix)",
                app: app)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// Stops the server and releases its resources. Calling it again does nothing.
    public func shutdown() async {
        let alreadyStopped = stopped.withLockedValue { stopped in
            defer { stopped = true }
            return stopped
        }
        guard !alreadyStopped else { return }
        await app.server.shutdown()
        try? await app.asyncShutdown()
    }

    private struct ConfigurationError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
