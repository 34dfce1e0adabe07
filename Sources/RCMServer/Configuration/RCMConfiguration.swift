import Foundation
import Logging
import RCMCore

/// Every setting RCM reads from the environment, read once at start-up (README "Configuration").
public struct RCMConfiguration: Sendable {
    /// `DATABASE_URL`: where data is kept (see ``DatabaseLocation``).
    public var database: DatabaseLocation
    /// `RCM_KEYS_DIR`: folder of the participants' RSA key pairs, default `./.rcm/keys`.
    public var keysDirectory: String
    /// `HCX_VERSION_PREFIX`: the HCX protocol version prefix of callback routes, default `/v0.7`.
    public var hcxVersionPrefix: String
    /// `HCX_MAX_BODY_BYTES`: the largest HCX request body accepted, in bytes, default 10 MiB
    /// (10,485,760; the Swasth gateway's in-memory limit, docs reference/hcx-protocol.md §6.1).
    public var hcxMaxBodyBytes: Int
    /// `HCX_PARTICIPANT_CODE`: this provider's HCX participant code.
    public var participantCode: String
    /// `HCX_RECIPIENT_CODE`: the payer's participant code claims are sent to.
    public var recipientCode: String
    /// `RCM_ADJUDICATION_TIMEOUT_SECONDS`: how long, in seconds, a claim waits for its adjudication
    /// callback, default 30.
    public var adjudicationTimeoutSeconds: Double
    /// `RCM_SANDBOX_CLAIM_LIMIT`: the embedded sandbox payer's per-claim limit, in major units of the
    /// claim's currency (at most 2 decimals), default 100,000.
    public var sandboxClaimLimit: Decimal
    /// `LOG_LEVEL`: trace, debug, info, notice, warning, error or critical.
    public var logLevel: Logger.Level?

    /// The sandbox payer's participant code (the embedded default recipient).
    public static let sandboxPayerCode = "payer.sandbox@rcm-hcx-sandbox"
    /// The default provider participant code.
    public static let defaultParticipantCode = "provider.rcm@rcm-hcx-sandbox"

    /// Reads the configuration.
    /// - Parameter environment: variables by name (defaults to the process environment).
    /// - Throws: ``ConfigurationError`` naming the first bad setting.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        func value(_ name: String) -> String? {
            guard let text = environment[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return text
        }
        database = try DatabaseLocation(url: value("DATABASE_URL"))
        keysDirectory = value("RCM_KEYS_DIR") ?? "./.rcm/keys"
        var prefix = value("HCX_VERSION_PREFIX") ?? "/v0.7"
        if !prefix.hasPrefix("/") { prefix = "/" + prefix }
        while prefix.count > 1, prefix.hasSuffix("/") { prefix.removeLast() }
        hcxVersionPrefix = prefix
        if let text = value("HCX_MAX_BODY_BYTES") {
            guard let bytes = Int(text), bytes >= 1024, bytes <= 1 << 30 else {
                throw ConfigurationError(
                    "HCX_MAX_BODY_BYTES: '\(text)' is not a number of bytes between 1024 and 1073741824")
            }
            hcxMaxBodyBytes = bytes
        } else {
            hcxMaxBodyBytes = 10 << 20
        }
        participantCode = value("HCX_PARTICIPANT_CODE") ?? Self.defaultParticipantCode
        recipientCode = value("HCX_RECIPIENT_CODE") ?? Self.sandboxPayerCode
        if let text = value("RCM_ADJUDICATION_TIMEOUT_SECONDS") {
            guard let seconds = DecimalText.parse(text), seconds > 0, seconds <= 86_400 else {
                throw ConfigurationError(
                    "RCM_ADJUDICATION_TIMEOUT_SECONDS: '\(text)' is not a number of seconds between 0 and 86400")
            }
            adjudicationTimeoutSeconds = NSDecimalNumber(decimal: seconds).doubleValue
        } else {
            adjudicationTimeoutSeconds = 30
        }
        if let text = value("RCM_SANDBOX_CLAIM_LIMIT") {
            guard let limit = DecimalText.parse(text), limit >= 0,
                (text.split(separator: ".").dropFirst().first?.count ?? 0) <= 2
            else {
                throw ConfigurationError(
                    "RCM_SANDBOX_CLAIM_LIMIT: '\(text)' is not a non-negative amount with at most 2 decimals (e.g. 100000 or 2500.50)"
                )
            }
            sandboxClaimLimit = limit
        } else {
            sandboxClaimLimit = 100_000
        }
        if let text = value("LOG_LEVEL") {
            guard let level = Logger.Level(rawValue: text.lowercased()) else {
                throw ConfigurationError(
                    "LOG_LEVEL: '\(text)' is not one of trace, debug, info, notice, warning, error, critical")
            }
            logLevel = level
        }
    }
}
