import Vapor

/// The single permission table (docs DESIGN.md §8; issue "Security"): every API route, by method
/// and route template, mapped to the roles allowed. A route that is not in the table is denied to
/// everyone, so a new route stays closed until it is entered here; a test walks every registered
/// route × every role against this table.
///
/// Open routes (no token): the health probes, `/metrics` and the login/refresh/logout routes.
/// The HCX callback routes are authenticated by the gateway's JWT instead (``HCXCallbackController``).
public enum AccessPolicy {
    /// What a route does, for the audit trail and the allowed roles.
    public struct Rule: Sendable {
        /// The audit action name, e.g. `workflow.pause`.
        public let action: String
        /// The resource type in the audit trail (`workflow`, `claim`, …).
        public let resourceType: String
        /// The roles allowed.
        public let roles: Set<Role>
        /// Whether the route reads patient-level data (audited like a change).
        public let readsPatientData: Bool
        /// Whether the route changes something (audited with before/after where the route gives it).
        public let changes: Bool
    }

    static let everyone = Set(Role.allCases)
    static let readers: Set<Role> = [.admin, .billingManager, .biller, .coder, .auditor, .readOnly]
    static let operators: Set<Role> = [.admin, .billingManager, .biller]
    /// Who reads the analytics (aggregates: no patient-level data): every reader and the analyst.
    static let analysts: Set<Role> = readers.union([.analyst])

    /// `"METHOD /route/template"` → rule.
    public static let rules: [String: Rule] = [
        "GET /api/v1/workflows": Rule(
            action: "workflow.list", resourceType: "workflow", roles: readers, readsPatientData: false, changes: false),
        "GET /api/v1/workflows/:id": Rule(
            action: "workflow.read", resourceType: "workflow", roles: readers, readsPatientData: true, changes: false),
        "POST /api/v1/workflows/:id/resume": Rule(
            action: "workflow.resume", resourceType: "workflow", roles: operators, readsPatientData: false,
            changes: true),
        "POST /api/v1/workflows/:id/pause": Rule(
            action: "workflow.pause", resourceType: "workflow", roles: operators, readsPatientData: false, changes: true
        ),
        "POST /api/v1/workflows/:id/cancel": Rule(
            action: "workflow.cancel", resourceType: "workflow", roles: operators, readsPatientData: false,
            changes: true),
        "GET /api/v1/claims": Rule(
            action: "claim.list", resourceType: "claim", roles: readers, readsPatientData: true, changes: false),
        "GET /api/v1/claims/:id": Rule(
            action: "claim.read", resourceType: "claim", roles: readers, readsPatientData: true, changes: false),
        "POST /api/v1/encounters": Rule(
            action: "encounter.create", resourceType: "claim", roles: operators, readsPatientData: false,
            changes: true),
        "POST /api/v1/payments": Rule(
            action: "payment.post", resourceType: "payment", roles: operators, readsPatientData: false, changes: true),
        "GET /api/v1/payments": Rule(
            action: "payment.list", resourceType: "payment", roles: readers, readsPatientData: false, changes: false),
        "POST /api/v1/payments/:payment/match": Rule(
            action: "payment.match", resourceType: "payment", roles: operators, readsPatientData: false,
            changes: true),
        "GET /api/v1/denials": Rule(
            action: "denial.list", resourceType: "claim", roles: readers, readsPatientData: true, changes: false),
        "POST /api/v1/denials/:id/appeal": Rule(
            action: "denial.appeal", resourceType: "claim", roles: operators, readsPatientData: false, changes: true),
        "POST /api/v1/denials/:id/resubmit": Rule(
            action: "denial.resubmit", resourceType: "claim", roles: operators, readsPatientData: false, changes: true
        ),
        "POST /api/v1/denials/:id/write-off": Rule(
            action: "denial.write-off", resourceType: "claim", roles: [.admin, .billingManager],
            readsPatientData: false, changes: true),
        "GET /api/v1/codes/:system": Rule(
            action: "code.search", resourceType: "code", roles: everyone, readsPatientData: false, changes: false),
        "GET /api/v1/codes/:system/:code": Rule(
            action: "code.read", resourceType: "code", roles: everyone, readsPatientData: false, changes: false),
        "GET /api/v1/analytics/kpis": Rule(
            action: "analytics.read", resourceType: "analytics", roles: analysts, readsPatientData: false,
            changes: false),
        "GET /api/v1/analytics/ar-aging": Rule(
            action: "analytics.read", resourceType: "analytics", roles: analysts, readsPatientData: false,
            changes: false),
        "GET /api/v1/analytics/denials": Rule(
            action: "analytics.read", resourceType: "analytics", roles: analysts, readsPatientData: false,
            changes: false),
        "GET /api/v1/analytics/trend": Rule(
            action: "analytics.read", resourceType: "analytics", roles: analysts, readsPatientData: false,
            changes: false),
        "GET /api/v1/analytics/payer-mix": Rule(
            action: "analytics.read", resourceType: "analytics", roles: analysts, readsPatientData: false,
            changes: false),
        "GET /api/v1/audit": Rule(
            action: "audit.read", resourceType: "audit_log", roles: [.admin, .auditor], readsPatientData: true,
            changes: false),
    ]

    /// Routes anyone may call without a token (besides the HCX callbacks, which check the gateway's JWT).
    public static let open: Set<String> = [
        "GET /health/live", "GET /health/ready", "GET /metrics", "POST /api/v1/auth/login",
        "POST /api/v1/auth/refresh", "POST /api/v1/auth/logout", "GET /openapi.json", "GET /docs",
    ]

    /// The table key of a route: its method and template (`:id` for parameters).
    public static func key(method: HTTPMethod, path: [PathComponent]) -> String {
        "\(method.rawValue) /" + path.map(\.description).joined(separator: "/")
    }

    /// The rule of a route, if it has one.
    public static func rule(for route: Route) -> Rule? { rules[key(method: route.method, path: route.path)] }
}
