import Foundation
import HCX
import RCMServer
import Vapor

/// The connection to a configured HCX gateway (`HCX_BASE_URL`, docs docs/operating.md "Configuration"): our
/// private key from `HCX_PRIVATE_KEY`, the login from `HCX_USERNAME` + `HCX_SECRET`/`HCX_PASSWORD`,
/// the gateway's certificate from `HCX_GATEWAY_CERT`.
enum GatewayConnection {
    /// A connection that logs in to the gateway and looks recipients up in its registry.
    /// - Throws: ``RCMServer/ConfigurationError`` naming the setting or file at fault.
    static func connection(_ configuration: RCMConfiguration, app: Application) throws -> HCXConnection {
        guard let baseURL = configuration.hcxBaseURL, let credentials = configuration.hcxCredentials else {
            throw ConfigurationError("HCX_BASE_URL, HCX_USERNAME and HCX_SECRET (or HCX_PASSWORD) are needed")
        }
        return HCXConnection.gateway(
            participantCode: configuration.participantCode, baseURL: baseURL, credentials: credentials,
            privateKey: try privateKey(configuration), httpClient: app.http.client.shared, logger: app.logger)
    }

    /// The gateway connection when `HCX_BASE_URL` is set; otherwise one that refuses to send,
    /// saying so (the embedded sandbox exists only inside `rcm process`), so that workflows can
    /// still be listed, paused and cancelled.
    static func connectionOrUnconfigured(_ configuration: RCMConfiguration, app: Application) throws -> HCXConnection {
        if configuration.hcxBaseURL != nil { return try connection(configuration, app: app) }
        let unconfigured = ConfigurationError(
            "no HCX gateway: set HCX_BASE_URL, HCX_USERNAME and HCX_SECRET (the embedded sandbox runs only inside rcm process)"
        )
        return HCXConnection(
            participantCode: configuration.participantCode,
            client: HCXClient(baseURL: "http://127.0.0.1:9", httpClient: app.http.client.shared, logger: app.logger),
            privateKey: try KeyDirectory(path: configuration.keysDirectory).privateKey(named: "provider"),
            accessToken: { throw unconfigured }, recipientKey: { _ in throw unconfigured })
    }

    /// Our private key (`HCX_PRIVATE_KEY`).
    static func privateKey(_ configuration: RCMConfiguration) throws -> RSAPrivateKey {
        let path = configuration.hcxPrivateKeyPath
        guard let pem = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("HCX_PRIVATE_KEY: \(path) cannot be read")
        }
        do {
            return try RSAPrivateKey(pemRepresentation: String(decoding: pem, as: UTF8.self))
        } catch {
            throw ConfigurationError("HCX_PRIVATE_KEY: \(path): \(error)")
        }
    }

    /// Verifies the gateway's bearer JWT with `HCX_GATEWAY_CERT`.
    static func authenticator(_ configuration: RCMConfiguration) async throws -> HCXGatewayAuthenticator {
        let path = configuration.hcxGatewayCertificatePath
        guard let pem = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("HCX_GATEWAY_CERT: \(path) cannot be read")
        }
        do {
            return try await .verifying(gatewayCertificateOrPublicKeyPEM: String(decoding: pem, as: UTF8.self))
        } catch {
            throw ConfigurationError("HCX_GATEWAY_CERT: \(path): \(error)")
        }
    }
}
