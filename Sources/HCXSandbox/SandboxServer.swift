import Foundation
import HCX
import Logging
import NIOConcurrencyHelpers
import SQLKit
import SQLiteKit
import Vapor

/// The HCX sandbox as a running HTTP server: gateway (token, registry, certificates, protocol
/// APIs with the gateway's checks, deliveries with retries and faults) and payer (rules-driven
/// answers, payment notices), speaking the real protocol over real HTTP (docs DESIGN.md §5).
///
/// Routes: `{versionPrefix}/participant/auth/token/generate`, `{versionPrefix}/participant/search`,
/// `/certificates/{code}`, `{versionPrefix}/<every HCX API>`, `/sandbox/counts`, and the payer's
/// endpoint `/payer{versionPrefix}/…`.
public final class SandboxServer: Sendable {
    /// Base URL including the version prefix, e.g. `http://127.0.0.1:53117/v0.7`.
    public let baseURL: String
    public let configuration: SandboxConfiguration
    /// The participants the gateway knows.
    public let registry: SandboxRegistry
    /// Messages and counts.
    public let store: SandboxStore
    let gateway: SandboxGateway
    let payer: SandboxPayer
    private let app: Application
    /// The one connection to the state database (SQLite serialises writers anyway).
    private let connection: SQLiteConnection
    private let stopped = NIOLockedValueBox(false)

    private init(
        baseURL: String, configuration: SandboxConfiguration, registry: SandboxRegistry, store: SandboxStore,
        gateway: SandboxGateway, payer: SandboxPayer, app: Application, connection: SQLiteConnection
    ) {
        self.baseURL = baseURL
        self.configuration = configuration
        self.registry = registry
        self.store = store
        self.gateway = gateway
        self.payer = payer
        self.app = app
        self.connection = connection
    }

    /// Starts the sandbox, then finishes what an interrupted run left: deliveries not made,
    /// requests the payer did not answer, payments not sent.
    /// - Throws: when the port cannot be bound or the state file cannot be opened.
    public static func start(_ configuration: SandboxConfiguration, logger: Logger) async throws -> SandboxServer {
        let app = try await Application.make(.custom(name: "sandbox"), .singleton, logger: logger)
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(
                storage: configuration.databasePath.map { .file(path: $0) } ?? .memory, logger: logger)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        do {
            app.middleware = Middlewares()
            app.middleware.use(SandboxErrorMiddleware())
            // Deliveries are retried by HCXClient's own policy.
            app.http.client.configuration.connectionPool.retryConnectionEstablishment = false
            let store = SandboxStore(database: connection.sql())
            try await store.prepare()
            let registry = SandboxRegistry()
            let tokens = try await SandboxAccessTokens.make(
                gatewayKey: configuration.gatewayKey, issuer: configuration.gatewayCode,
                lifetimeSeconds: configuration.tokenLifetimeSeconds)
            let signer = try await HCXGatewayAuthenticator.signing(
                with: configuration.gatewayKey, gatewayCode: configuration.gatewayCode)
            let gateway = SandboxGateway(
                gatewayCode: configuration.gatewayCode, registry: registry, store: store, tokens: tokens,
                signer: signer,
                faults: configuration.rules.faults, internalCodes: [configuration.payerCode],
                httpClient: app.http.client.shared, deliveryRetry: configuration.deliveryRetry,
                retryScheduleSeconds: configuration.deliveryRetryScheduleSeconds, logger: logger)
            let payerBox = NIOLockedValueBox<SandboxPayer?>(nil)
            try app.register(
                collection: SandboxGatewayController(
                    versionPrefix: configuration.versionPrefix, gateway: gateway, registry: registry, tokens: tokens,
                    store: store, maxBodyBytes: configuration.maxBodyBytes))
            try app.register(
                collection: SandboxPayerController(
                    versionPrefix: configuration.versionPrefix, payer: { payerBox.withLockedValue { $0 } },
                    maxBodyBytes: configuration.maxBodyBytes))
            try await app.asyncBoot()
            try await app.server.start(address: .hostname(configuration.hostname, port: configuration.port))
            guard let bound = app.http.server.shared.localAddress?.port else {
                throw SandboxStartError("the sandbox did not bind a port")
            }
            let origin = "http://\(configuration.hostname == "0.0.0.0" ? "127.0.0.1" : configuration.hostname):\(bound)"
            let baseURL = origin + configuration.versionPrefix

            // The payer is a participant like any other: registered, logging in, called back.
            let payerSecret = UUID().uuidString
            await registry.register(
                SandboxParticipant(
                    code: configuration.payerCode, name: "RCM sandbox payer", roles: ["payor"],
                    endpointURL: origin + "/payer" + configuration.versionPrefix,
                    encryptionCertificatePEM: configuration.payerCertificatePEM, username: "sandbox-payer",
                    secret: payerSecret))
            let payer = SandboxPayer(
                payerCode: configuration.payerCode, payerKey: configuration.payerKey, rules: configuration.rules,
                store: store, registry: registry,
                verifier: try await .verifying(
                    gatewayCertificateOrPublicKeyPEM: configuration.gatewayKey.publicKey.pemRepresentation),
                gateway: HCXClient(baseURL: baseURL, httpClient: app.http.client.shared, logger: logger),
                tokens: HCXTokenManager(
                    baseURL: baseURL,
                    credentials: .apiAccess(
                        participantCode: configuration.payerCode, username: "sandbox-payer", secret: payerSecret),
                    httpClient: app.http.client.shared, logger: logger),
                logger: logger)
            payerBox.withLockedValue { $0 = payer }
            return SandboxServer(
                baseURL: baseURL, configuration: configuration, registry: registry, store: store, gateway: gateway,
                payer: payer, app: app, connection: connection)
        } catch {
            try? await connection.close()
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// Finishes what an interrupted run left undone: deliveries not made, requests the payer did
    /// not answer, payments not sent. Call it after registering the participants.
    public func resumeUnfinishedWork() async throws {
        try await gateway.resumePendingDeliveries()
        try await payer.resume()
    }

    /// Registers (or updates) a participant, e.g. the provider under test.
    public func register(_ participant: SandboxParticipant) async {
        await registry.register(participant)
    }

    /// Waits until every delivery, answer and payment started so far is done (for tests and demos;
    /// work started meanwhile is waited for too).
    public func waitUntilIdle() async {
        await gateway.waitForDeliveries()
        await payer.waitForWork()
        await gateway.waitForDeliveries()
    }

    /// The fault decisions taken so far, in order (reproducible by seed).
    public func faultDecisions() async -> [SandboxFaultRecord] { await gateway.faultDecisions() }

    /// Stops the server; unfinished work stays in the state file for the next start. Calling it
    /// again does nothing.
    public func shutdown() async {
        let alreadyStopped = stopped.withLockedValue { stopped in
            defer { stopped = true }
            return stopped
        }
        guard !alreadyStopped else { return }
        await gateway.cancelDeliveries()
        await payer.cancelWork()
        await app.server.shutdown()
        try? await app.asyncShutdown()
        try? await connection.close()
    }
}

/// The sandbox could not start.
public struct SandboxStartError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
