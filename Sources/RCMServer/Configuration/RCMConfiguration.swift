import Foundation
import HCX
import Logging
import RCMCore

/// Every setting RCM reads from the environment, read once at start-up (docs/operating.md "Configuration").
public struct RCMConfiguration: Sendable {
    /// `DATABASE_URL`: where data is kept (see ``DatabaseLocation``).
    public var database: DatabaseLocation
    /// `RCM_DB_POOL_SIZE`: the most PostgreSQL connections one process opens (1–1000), spread
    /// evenly over its event loops (one per core), at least one each; `nil` = 8 per event loop
    /// (``postgresConnectionsPerEventLoop(poolSize:eventLoops:)``). Unused for SQLite.
    public var databasePoolSize: Int?
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
    /// `RCM_NOW`: a fixed day (`YYYY-MM-DD`) taken as today by the billing rules (the scrub's
    /// future-date and timely-filing edits, the denial queue's ages), for tests and replays; unset =
    /// the facility's date. HCX timestamps always use the real clock.
    public var billingDay: ServiceDate?
    /// `RCM_KPI_TARGETS`: the console's KPI targets, `kpi=value` pairs separated by commas
    /// (``RCMCore/KPITarget/configured(_:)``); unset = the defaults.
    public var kpiTargets: [KPITarget] = KPITarget.defaults
    /// `RCM_CONSOLE_IDLE_MINUTES`: minutes without a request after which a console session ends,
    /// default 30.
    public var consoleIdleMinutes: Int = 30
    /// `RCM_ANALYTICS_REFRESH_SECONDS`: when set, `rcm serve` sums the analytics summary's pending
    /// changes every so many seconds in the background (1–3600); unset = only reads sum them
    /// (and `rcm report`), the default.
    public var analyticsRefreshSeconds: Double?
    /// `RCM_CHARGEMASTER`: the chargemaster CSV (`system,code,description,unit_price,currency`)
    /// that prices FHIR clinical bundles posted to `/api/v1/encounters` (and `rcm process` without
    /// `--chargemaster`); unset = clinical bundles are refused over HTTP.
    public var chargemasterPath: String?
    /// `RCM_X12_SETTINGS`: the X12 settings file (sender, submitter, billing provider, outbox and
    /// inbox folders; ``RevenueCycle/X12Settings``), needed once a payer is set to `--transport x12`.
    public var x12SettingsPath: String?
    /// `RCM_SANDBOX_RULES`: the embedded sandbox payer's rules file (JSON); unset = the documented
    /// default (`sandbox/rules.json`).
    public var sandboxRulesPath: String?
    /// `RCM_SANDBOX_STATE`: the embedded sandbox's SQLite state file, or `memory`; default
    /// `sandbox.sqlite` beside the key folder (`./.rcm/sandbox.sqlite`). `nil` = in memory.
    public var sandboxStatePath: String?
    /// `HCX_BASE_URL`: a real HCX gateway with version prefix (e.g.
    /// `https://staging-hcx.swasth.app/api/v0.7`, or `rcm sandbox` at `http://127.0.0.1:8090/v0.7`);
    /// unset = the embedded sandbox.
    public var hcxBaseURL: String?
    /// `HCX_USERNAME` with `HCX_SECRET` (API-access login, sent with `HCX_PARTICIPANT_CODE`) or
    /// `HCX_PASSWORD` (participant login): how RCM logs in to the gateway.
    public var hcxCredentials: HCXCredentials?
    /// `HCX_PRIVATE_KEY`: PEM file of this provider's private key, default
    /// `<RCM_KEYS_DIR>/provider.private.pem`.
    public var hcxPrivateKeyPath: String
    /// `HCX_GATEWAY_CERT`: PEM certificate or public key that verifies the gateway's bearer JWT on
    /// callbacks, default `<RCM_KEYS_DIR>/sandbox-gateway.cert.pem` (what `rcm sandbox` writes).
    public var hcxGatewayCertificatePath: String
    /// `RCM_WORKERS`: workflow worker loops `rcm serve` and `rcm worker` run (0 = none in `serve`),
    /// default 4.
    public var workers: Int
    /// `RCM_LEASE_SECONDS`: how long a worker's lease on a workflow lasts without renewal, default 30.
    public var leaseSeconds: Double
    /// `RCM_STEP_TIMEOUT_SECONDS`: the longest a run's steps may hold its lease at a stretch (between
    /// two waits) before the worker gives the run up to another, default 600.
    public var stepTimeoutSeconds: Double
    /// `LOG_LEVEL`: trace, debug, info, notice, warning, error or critical.
    public var logLevel: Logger.Level?
    /// `RCM_JWT_SIGNING_KEY`: the secret (≥ 32 bytes) that signs API access tokens; without it a
    /// key is generated once into `<RCM_KEYS_DIR>/jwt-signing.key` (one machine only).
    public var jwtSigningKey: String?
    /// `RCM_AUDIT_HMAC_KEY`: when set, audit entries are chained with HMAC-SHA-256 under this key
    /// instead of plain SHA-256 (`rcm audit verify` needs the same key).
    public var auditHMACKey: String?
    /// `LOG_FORMAT`: `text` (default; one readable line per entry) or `json` (one JSON object per
    /// line, for log collectors; the container image sets it).
    public var logJSON = false

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
        if let text = value("RCM_NOW") {
            guard let day = try? ServiceDate(day: text) else {
                throw ConfigurationError("RCM_NOW: '\(text)' is not a calendar date YYYY-MM-DD")
            }
            billingDay = day
        }
        do { kpiTargets = try KPITarget.configured(value("RCM_KPI_TARGETS")) } catch {
            throw ConfigurationError("RCM_KPI_TARGETS: \(error)")
        }
        if let text = value("RCM_CONSOLE_IDLE_MINUTES") {
            guard let minutes = Int(text), (1...1440).contains(minutes) else {
                throw ConfigurationError(
                    "RCM_CONSOLE_IDLE_MINUTES: '\(text)' is not a number of minutes from 1 to 1440")
            }
            consoleIdleMinutes = minutes
        }
        if let text = value("RCM_ANALYTICS_REFRESH_SECONDS") {
            guard let seconds = Double(text), (1...3600).contains(seconds) else {
                throw ConfigurationError(
                    "RCM_ANALYTICS_REFRESH_SECONDS: '\(text)' is not a number of seconds from 1 to 3600")
            }
            analyticsRefreshSeconds = seconds
        }
        chargemasterPath = value("RCM_CHARGEMASTER")
        x12SettingsPath = value("RCM_X12_SETTINGS")
        sandboxRulesPath = value("RCM_SANDBOX_RULES")
        switch value("RCM_SANDBOX_STATE") {
        case "memory"?: sandboxStatePath = nil
        case let path?: sandboxStatePath = path
        case nil:
            sandboxStatePath = (keysDirectory as NSString).deletingLastPathComponent + "/sandbox.sqlite"
        }
        if let url = value("HCX_BASE_URL") {
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil
            else {
                throw ConfigurationError("HCX_BASE_URL: '\(url)' is not an http(s) URL such as https://host/api/v0.7")
            }
            hcxBaseURL = url
        }
        let username = value("HCX_USERNAME")
        if let username, let secret = value("HCX_SECRET") {
            hcxCredentials = .apiAccess(participantCode: participantCode, username: username, secret: secret)
        } else if let username, let password = value("HCX_PASSWORD") {
            hcxCredentials = .participant(username: username, password: password)
        } else if hcxBaseURL != nil {
            throw ConfigurationError(
                "HCX_BASE_URL is set: give HCX_USERNAME with HCX_SECRET (API access) or HCX_PASSWORD to log in")
        }
        hcxPrivateKeyPath = value("HCX_PRIVATE_KEY") ?? keysDirectory + "/provider.private.pem"
        hcxGatewayCertificatePath = value("HCX_GATEWAY_CERT") ?? keysDirectory + "/sandbox-gateway.cert.pem"
        if let text = value("RCM_WORKERS") {
            guard let count = Int(text), (0...64).contains(count) else {
                throw ConfigurationError("RCM_WORKERS: '\(text)' is not a number of workers between 0 and 64")
            }
            workers = count
        } else {
            workers = 4
        }
        if let text = value("RCM_DB_POOL_SIZE") {
            guard let size = Int(text), (1...1000).contains(size) else {
                throw ConfigurationError(
                    "RCM_DB_POOL_SIZE: '\(text)' is not a number of connections between 1 and 1000")
            }
            databasePoolSize = size
        }
        if let text = value("RCM_LEASE_SECONDS") {
            guard let seconds = DecimalText.parse(text), seconds >= 1, seconds <= 3600 else {
                throw ConfigurationError("RCM_LEASE_SECONDS: '\(text)' is not a number of seconds between 1 and 3600")
            }
            leaseSeconds = NSDecimalNumber(decimal: seconds).doubleValue
        } else {
            leaseSeconds = 30
        }
        if let text = value("RCM_STEP_TIMEOUT_SECONDS") {
            guard let seconds = DecimalText.parse(text), seconds >= 10, seconds <= 86_400 else {
                throw ConfigurationError(
                    "RCM_STEP_TIMEOUT_SECONDS: '\(text)' is not a number of seconds between 10 and 86400")
            }
            stepTimeoutSeconds = NSDecimalNumber(decimal: seconds).doubleValue
        } else {
            stepTimeoutSeconds = 600
        }
        jwtSigningKey = value("RCM_JWT_SIGNING_KEY")
        auditHMACKey = value("RCM_AUDIT_HMAC_KEY")
        switch value("LOG_FORMAT")?.lowercased() {
        case nil, "text"?: logJSON = false
        case "json"?: logJSON = true
        case let other?: throw ConfigurationError("LOG_FORMAT: '\(other)' is not text or json")
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
