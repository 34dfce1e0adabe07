import Foundation
import HCX

/// How a sandbox is set up: where it listens, who plays gateway and payer, the rules, and where
/// it keeps its state.
public struct SandboxConfiguration: Sendable {
    /// Interface to listen on; `127.0.0.1` keeps it on loopback.
    public var hostname: String
    /// TCP port; 0 picks a free ephemeral port.
    public var port: Int
    /// The protocol version prefix, e.g. `/v0.7`.
    public var versionPrefix: String
    /// The gateway's participant code (`sub` of its bearer JWTs, sender of its error callbacks).
    public var gatewayCode: String
    /// Signs the gateway's bearer JWTs and the access tokens.
    public var gatewayKey: RSAPrivateKey
    /// The payer's participant code.
    public var payerCode: String
    /// The payer's key pair; its certificate is published in the registry.
    public var payerKey: RSAPrivateKey
    public var payerCertificatePEM: String
    /// The payer's policy book and the faults to inject.
    public var rules: SandboxRules
    /// SQLite file of the sandbox's state; `nil` keeps it in memory.
    public var databasePath: String?
    /// Lifetime of issued access tokens, in seconds.
    public var tokenLifetimeSeconds: Double
    /// How each round of delivery attempts to a participant is retried.
    public var deliveryRetry: HCXRetryPolicy
    /// Seconds before each later round when a round failed (the Swasth retry scheduler: every
    /// 20 s, 3 times); the message stays pending until the last round.
    public var deliveryRetryScheduleSeconds: [Double]
    /// The largest request body accepted, in bytes.
    public var maxBodyBytes: Int

    public init(
        hostname: String = "127.0.0.1", port: Int = 0, versionPrefix: String = "/v0.7",
        gatewayCode: String = "hcx-gateway@rcm-hcx-sandbox", gatewayKey: RSAPrivateKey,
        payerCode: String = "payer.sandbox@rcm-hcx-sandbox", payerKey: RSAPrivateKey, payerCertificatePEM: String,
        rules: SandboxRules = .default, databasePath: String? = nil, tokenLifetimeSeconds: Double = 3600,
        deliveryRetry: HCXRetryPolicy = HCXRetryPolicy(maxAttempts: 4, initialDelaySeconds: 0.2),
        deliveryRetryScheduleSeconds: [Double] = [20, 20, 20], maxBodyBytes: Int = 10 << 20
    ) {
        self.hostname = hostname
        self.port = port
        self.versionPrefix = versionPrefix
        self.gatewayCode = gatewayCode
        self.gatewayKey = gatewayKey
        self.payerCode = payerCode
        self.payerKey = payerKey
        self.payerCertificatePEM = payerCertificatePEM
        self.rules = rules
        self.databasePath = databasePath
        self.tokenLifetimeSeconds = tokenLifetimeSeconds
        self.deliveryRetry = deliveryRetry
        self.deliveryRetryScheduleSeconds = deliveryRetryScheduleSeconds
        self.maxBodyBytes = maxBodyBytes
    }

    /// A configuration with the gateway and payer keys and the payer certificate from a key
    /// folder (created on first use), named `sandbox-gateway` and `sandbox-payer`.
    public static func fromKeyDirectory(
        _ keys: KeyDirectory, payerCode: String = "payer.sandbox@rcm-hcx-sandbox", rules: SandboxRules = .default
    ) throws -> SandboxConfiguration {
        SandboxConfiguration(
            gatewayKey: try keys.privateKey(named: "sandbox-gateway"), payerCode: payerCode,
            payerKey: try keys.privateKey(named: "sandbox-payer"),
            payerCertificatePEM: try keys.certificatePEM(named: "sandbox-payer", participantCode: payerCode),
            rules: rules)
    }
}
