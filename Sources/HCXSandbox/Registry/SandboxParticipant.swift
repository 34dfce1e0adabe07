import HCX

/// A participant registered with the sandbox, as the HCX registry holds it (hcx-platform
/// `hcx-registry/schemas/Organisation.json`; docs reference/hcx-protocol.md §3.3), plus the
/// credentials it logs in with.
public struct SandboxParticipant: Sendable, Hashable {
    /// The participant code, e.g. `provider.rcm@rcm-hcx-sandbox`.
    public var code: String
    public var name: String
    /// Registry roles: `provider` (and `provider.*`) or `payor`, which decide the APIs it may call
    /// (hcx-platform `api-gateway` `rbac.yaml`; docs reference/hcx-protocol.md §1.4).
    public var roles: [String]
    /// `Active`, `Inactive`, `Blocked` or `Created`; only `Active` participants send and receive.
    public var status: String
    /// Base URL the gateway appends bare action paths to, including any version prefix
    /// (`http://127.0.0.1:8000/v0.7`), as HCX gateways do (docs reference/hcx-protocol.md §1.5).
    public var endpointURL: String
    /// The X.509 certificate (PEM) whose key messages to this participant are encrypted with.
    public var encryptionCertificatePEM: String
    /// Login for `/participant/auth/token/generate`: `username` with `secret` (API access) or `password`.
    public var username: String
    public var secret: String

    public init(
        code: String, name: String? = nil, roles: [String], status: String = "Active", endpointURL: String,
        encryptionCertificatePEM: String, username: String, secret: String
    ) {
        self.code = code
        self.name = name ?? code
        self.roles = roles
        self.status = status
        self.endpointURL = endpointURL
        self.encryptionCertificatePEM = encryptionCertificatePEM
        self.username = username
        self.secret = secret
    }

    /// Whether it may send and receive.
    public var isActive: Bool { status.caseInsensitiveCompare("Active") == .orderedSame }

    /// Whether it acts as a payer (role `payor`, or a TPA).
    public var isPayer: Bool { roles.contains { $0 == "payor" || $0 == "agency.tpa" } }

    /// Whether it acts as a provider (role `provider` or `provider.*`).
    public var isProvider: Bool { roles.contains { $0 == "provider" || $0.hasPrefix("provider.") } }
}
