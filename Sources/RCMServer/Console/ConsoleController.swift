import FHIR
import Foundation
import Leaf
import LeafKit
import RCMCore
import RevenueCycle
import Vapor
import Workflow

/// The billing office's console, served by `rcm serve` at `/` (DESIGN.md §10): server-rendered
/// pages (Leaf templates under `Resources/Views`) over the same services as the API — the
/// dashboard (``DashboardPage``), claims and a claim, the denial work queue with its actions, the
/// unmatched payments with matching by hand, the failed, paused and waiting workflow runs with
/// resume, pause and cancel, and the upload of a file of encounters (``ConsoleUploadPage``).
/// Every page is behind the API's permission table (``AccessPolicy``: a page has the rule of the
/// API route it shows) with the session's credentials (``ConsoleSession``), audited as the API is;
/// every form carries the session's CSRF token. Works without JavaScript; with it (`console.js`,
/// the only script) the dashboard's figures update every minute.
struct ConsoleController: Sendable {
    let analytics: AnalyticsReport
    let queue: DenialQueue
    let desk: DenialDesk
    let ledger: any PaymentLedger
    let poster: PaymentPoster
    let engine: WorkflowEngine
    let claims: any ClaimRepository
    /// Prices FHIR clinical bundles uploaded (`RCM_CHARGEMASTER`); without it they are refused.
    let chargemaster: Chargemaster?
    let browser: @Sendable (Request) -> ClaimBrowser
    let targets: [KPITarget]
    let idleSeconds: Double

    func register(_ app: Application) throws {
        let console = app.grouped(ConsoleSecurityHeaders(), app.sessions.middleware)
        Self.ownAccess(console.get("sign-in", use: signInPage))
        Self.ownAccess(console.post("sign-in", use: signIn))
        Self.ownAccess(console.post("sign-out", use: signOut))
        for (file, type) in [("console.css", "text/css"), ("console.js", "text/javascript")] {
            let text = try String(contentsOf: Self.resources.appendingPathComponent("Public/\(file)"), encoding: .utf8)
            Self.ownAccess(
                app.get(.constant(file)) { _ in
                    Response(
                        status: .ok,
                        headers: [
                            "Content-Type": "\(type); charset=utf-8", "Cache-Control": "public, max-age=3600",
                            "X-Content-Type-Options": "nosniff",
                        ],
                        body: .init(string: text))
                })
        }
        func page(_ rule: String) -> any RoutesBuilder {
            console.grouped(ConsoleAccess(ruleKey: rule, idleSeconds: idleSeconds))
        }
        Self.ownAccess(page("GET /api/v1/analytics/kpis").get(use: dashboard))
        Self.ownAccess(page("GET /api/v1/claims").get("claims", use: claims))
        Self.ownAccess(page("GET /api/v1/claims/:id").get("claims", ":id", use: claim))
        Self.ownAccess(page("GET /api/v1/denials").get("denials", use: denials))
        Self.ownAccess(page("GET /api/v1/payments").get("payments", use: payments))
        Self.ownAccess(page("POST /api/v1/payments/:payment/match").post("payments", ":payment", "match", use: match))
        Self.ownAccess(page("GET /api/v1/workflows").get("workflows", use: workflows))
        Self.ownAccess(page("POST /api/v1/encounters").get("upload", use: uploadPage))
        Self.ownAccess(
            page("POST /api/v1/encounters").on(
                .POST, "upload", body: .collect(maxSize: RequestLimits.documentBody), use: upload))
        for action in ["resume", "pause", "cancel"] {
            Self.ownAccess(
                page("POST /api/v1/workflows/:id/\(action)").post("workflows", ":id", .constant(action)) { request in
                    try await operate(request, action)
                })
        }
        for (path, rule) in [("appeal", "appeal"), ("resubmit", "resubmit"), ("write-off", "write-off")] {
            Self.ownAccess(
                page("POST /api/v1/denials/:id/\(rule)").post("denials", ":id", .constant(path)) { request in
                    try await act(request, path)
                })
        }
    }

    /// Marks a console route as protected by the console itself (its own access middleware, or
    /// none for the sign-in pages and the style sheet), so that the API's bearer check is not put
    /// in front of it (``AccessControlLifecycle``); and as a page of the console, not of the API
    /// (``consoleKey``: the OpenAPI contract leaves these out).
    @discardableResult
    static func ownAccess(_ route: Route) -> Route {
        route.userInfo[AccessControlLifecycle.protectedKey] = true
        route.userInfo[consoleKey] = true
        return route
    }

    /// The `userInfo` key marking the console's routes (HTML pages, forms and static files).
    static let consoleKey = "rcm.console"

    /// Where the templates and the style sheet are (the target's resources).
    static var resources: URL { Bundle.module.resourceURL ?? Bundle.module.bundleURL }

    // MARK: Sign-in

    struct SignInPage: Encodable {
        let layout: ConsoleLayout
        let next: String
        let email: String
        let error: String?
    }

    @Sendable func signInPage(request: Request) async throws -> View {
        try await request.view.render(
            "sign-in",
            SignInPage(
                layout: ConsoleLayout(
                    title: "Sign in", section: "sign-in", user: nil, roles: nil,
                    csrf: ConsoleSession.csrfToken(request)),
                next: ConsoleSession.destination(request.query[String.self, at: "next"]), email: "", error: nil))
    }

    struct SignInForm: Content {
        var email: String?
        var password: String?
        var next: String?
    }

    @Sendable func signIn(request: Request) async throws -> Response {
        guard ConsoleSession.hasValidCSRFToken(request) else {
            throw Abort(.forbidden, reason: "the sign-in form has expired: reload the page and sign in again")
        }
        let security = try Self.security(request)
        let form = try request.content.decode(SignInForm.self)
        let email = (form.email ?? "").trimmingCharacters(in: .whitespaces)
        let signIn = SignIn(security: security)
        do {
            let principal = try await signIn.authenticate(email: email, password: form.password ?? "", request: request)
            try await signIn.record(
                SignIn.actor(email: email), "success", 303, role: principal.roleList, request: request)
            try await ConsoleSession.start(request, user: principal.userID)
            try await ConsoleSession.sweep(request.db, idleSeconds: idleSeconds)
            return request.redirect(to: ConsoleSession.destination(form.next))
        } catch let abort as any AbortError where [.unauthorized, .tooManyRequests].contains(abort.status) {
            let response = try await Self.render(
                request, "sign-in",
                SignInPage(
                    layout: ConsoleLayout(
                        title: "Sign in", section: "sign-in", user: nil, roles: nil,
                        csrf: ConsoleSession.csrfToken(request)),
                    next: ConsoleSession.destination(form.next), email: String(email.prefix(254)), error: abort.reason),
                status: abort.status)
            for (name, value) in abort.headers { response.headers.replaceOrAdd(name: name, value: value) }
            return response
        }
    }

    @Sendable func signOut(request: Request) async throws -> Response {
        guard ConsoleSession.hasValidCSRFToken(request) else {
            throw Abort(.forbidden, reason: "the form is not from this session (CSRF token missing or wrong)")
        }
        let security = try Self.security(request)
        if let user = request.session.data["user"].flatMap(UUID.init(uuidString:)) {
            // Audited as the sign-in was: under the user's own actor name.
            let principal = try await security.users.principal(id: user)
            try await security.audit.append(
                AuditTrail.Record(
                    actor: principal?.actor ?? "anonymous", role: principal?.roleList, action: "auth.logout",
                    resourceType: "session", outcome: "success", status: 303,
                    ipAddress: request.remoteAddress?.ipAddress, userAgent: request.headers.first(name: .userAgent),
                    requestID: request.id))
        }
        request.session.destroy()
        return request.redirect(to: "/sign-in")
    }

    /// `template` rendered with `context`, answered with `status` (a page that refuses a form's
    /// input answers the status the API would).
    static func render(
        _ request: Request, _ template: String, _ context: some Encodable & Sendable, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let response = try await request.view.render(template, context).encodeResponse(for: request)
        response.status = status
        return response
    }

    /// Whether the signed-in user's roles may call the API route `key` (a form is shown only then).
    static func allows(_ request: Request, _ key: String) -> Bool {
        !(AccessPolicy.rules[key]?.roles ?? []).isDisjoint(with: request.principal?.roles ?? [])
    }

    /// The page of `path` with `message` shown as done (after a form's redirect).
    static func redirect(_ request: Request, to path: String, done message: String) -> Response {
        var components = URLComponents()
        components.path = path
        components.queryItems = [URLQueryItem(name: "done", value: message)]
        return request.redirect(to: components.string ?? path)
    }

    static func security(_ request: Request) throws -> SecurityServices {
        guard let security = request.application.security else {
            throw Abort(.serviceUnavailable, reason: "authentication is not configured")
        }
        return security
    }

    func layout(_ request: Request, title: String, section: String) -> ConsoleLayout {
        ConsoleLayout(
            title: title, section: section, user: request.principal?.actor, roles: request.principal?.roleList,
            csrf: ConsoleSession.csrfToken(request))
    }

    // MARK: Dashboard

    @Sendable func dashboard(request: Request) async throws -> Response {
        let layout = layout(request, title: "Dashboard", section: "dashboard")
        let today = analytics.today
        let period: AnalyticsReport.Period
        var error: String?
        do {
            period = try AnalyticsReport.Period.read(
                from: request.query[String.self, at: "from"], to: request.query[String.self, at: "to"],
                payer: request.query[String.self, at: "payer"], provider: nil, today: today)
        } catch let refusal as AnalyticsInputError {
            error = "\(refusal.field): \(refusal.message)"
            period = try AnalyticsReport.Period.read(from: nil, to: nil, payer: nil, provider: nil, today: today)
        }
        let dashboard = try await analytics.dashboard(period)
        let page = DashboardPage(
            layout: layout, period: period, asOf: today, figures: dashboard.figures, targets: targets,
            aging: dashboard.aging, trend: dashboard.trend, byCategory: dashboard.byCategory,
            byPayer: dashboard.byPayer, mix: dashboard.mix, error: error)
        return try await Self.render(request, "dashboard", page, status: error == nil ? .ok : .badRequest)
    }

    // MARK: Claims

    struct ClaimsPage: Encodable {
        let layout: ConsoleLayout
        let query: [String: String]
        let claims: [ClaimSummaryDTO]
        let next: String?
        let error: String?
    }

    @Sendable func claims(request: Request) async throws -> Response {
        var values: [String: String] = [:]
        for name in ["outcome", "payer", "from", "to", "cursor"] {
            if let value = request.query[String.self, at: name], !value.isEmpty { values[name] = value }
        }
        let query = ClaimBrowser.Query(
            outcome: values["outcome"], payer: values["payer"], from: values["from"], to: values["to"],
            cursor: values["cursor"])
        let layout = layout(request, title: "Claims", section: "claims")
        do {
            let page = try await browser(request).page(query, limit: 50)
            var next: String?
            if let cursor = page.nextCursor {
                var components = URLComponents()
                components.path = "/claims"
                components.queryItems = values.merging(["cursor": cursor]) { $1 }.sorted { $0.key < $1.key }.map {
                    URLQueryItem(name: $0.key, value: $0.value)
                }
                next = components.string
            }
            return try await Self.render(
                request, "claims",
                ClaimsPage(layout: layout, query: values, claims: page.claims, next: next, error: nil))
        } catch let abort as any AbortError where abort.status == .badRequest {
            return try await Self.render(
                request, "claims",
                ClaimsPage(layout: layout, query: values, claims: [], next: nil, error: abort.reason),
                status: .badRequest)
        }
    }

    struct ClaimPage: Encodable {
        struct Entry: Encodable {
            let at: String
            let actor: String
            let action: String
            let outcome: String
        }
        let layout: ConsoleLayout
        let detail: ClaimDetailDTO
        let audit: [Entry]
    }

    @Sendable func claim(request: Request) async throws -> View {
        guard let text = request.parameters.get("id"), let id = UUID(uuidString: text),
            let detail = try await browser(request).detail(id)
        else {
            throw Abort(.notFound, reason: "no claim \(request.parameters.get("id")?.prefix(40) ?? "")")
        }
        let entries = try await Self.security(request).audit.entries(
            resourceType: "claim", resourceID: id.uuidString.lowercased(), limit: 50)
        let formatter = ISO8601DateFormatter()
        return try await request.view.render(
            "claim",
            ClaimPage(
                layout: layout(request, title: "Claim \(detail.claim.identifier)", section: "claims"), detail: detail,
                audit: entries.map {
                    .init(
                        at: formatter.string(from: $0.occurredAt), actor: $0.actor, action: $0.action,
                        outcome: $0.outcome)
                }))
    }

    // MARK: Denials

    struct DenialsPage: Encodable {
        let layout: ConsoleLayout
        let cases: [DenialDTO]
        let canAct: Bool
        let canWriteOff: Bool
        let message: String?
        let error: String?
    }

    @Sendable func denials(request: Request) async throws -> Response {
        try await denialsPage(request, message: request.query[String.self, at: "done"], error: nil, status: .ok)
    }

    private func denialsPage(_ request: Request, message: String?, error: String?, status: HTTPResponseStatus)
        async throws -> Response
    {
        func allowed(_ key: String) -> Bool { Self.allows(request, key) }
        let page = DenialsPage(
            layout: layout(request, title: "Denial work queue", section: "denials"),
            cases: try await queue.cases(limit: 200).map(DenialDTO.init),
            canAct: allowed("POST /api/v1/denials/:id/appeal"),
            canWriteOff: allowed("POST /api/v1/denials/:id/write-off"), message: message, error: error)
        return try await Self.render(request, "denials", page, status: status)
    }

    struct ActionForm: Content {
        var reason: String?
        /// A corrected claim for a resubmission (a JSON file: a FHIR Claim bundle or an encounter).
        var correction: File?
    }

    /// An action on a claim of the queue; back to the queue with what was done, or with the reason
    /// it could not be (the status the API would answer).
    private func act(_ request: Request, _ action: String) async throws -> Response {
        guard let text = request.parameters.get("id"), let uuid = UUID(uuidString: text) else {
            throw Abort(.notFound, reason: "no claim \(request.parameters.get("id")?.prefix(40) ?? "")")
        }
        let form = try request.content.decode(ActionForm.self)
        let reason = (form.reason ?? "").trimmingCharacters(in: .whitespaces)
        if let problem = InputText.problem(in: reason, as: .freeText) {
            return try await denialsPage(
                request, message: nil, error: "reason: \(problem)", status: .unprocessableEntity)
        }
        var correction: ClaimSubmission?
        if let file = form.correction, file.data.readableBytes > 0 {
            do {
                guard action == "resubmit" else {
                    throw Abort(.unprocessableEntity, reason: "correction: only a resubmission takes a corrected claim")
                }
                guard let json = try? JSONValue(parsing: Data(buffer: file.data)) else {
                    throw Abort(.unprocessableEntity, reason: "correction: \(file.filename.prefix(80)) is not JSON")
                }
                correction = try DenialController.correction(json)
            } catch let abort as Abort {
                return try await denialsPage(request, message: nil, error: abort.reason, status: abort.status)
            }
        }
        let actor = request.principal?.actor ?? "unknown"
        let id = ClaimID(uuid)
        do {
            let resolution: DenialResolution
            var replacement: ClaimID?
            switch action {
            case "appeal": resolution = try await desk.appeal(id, reason: reason, actor: actor)
            case "write-off": resolution = try await desk.writeOff(id, reason: reason, actor: actor)
            default:
                (resolution, replacement) = try await desk.resubmit(
                    id, reason: reason, actor: actor, correction: correction)
            }
            request.auditChanges = [
                "denial_action": AuditChange(before: nil, after: resolution.action.rawValue),
                "replacement_claim": AuditChange(before: nil, after: replacement?.description),
            ].filter { $0.value.after != nil }
            return Self.redirect(
                request, to: "/denials",
                done: "\(resolution.action.rawValue.replacingOccurrences(of: "_", with: " ")) recorded for claim \(id)")
        } catch let error as DenialResolutionError {
            return try await denialsPage(request, message: nil, error: error.description, status: error.status)
        } catch let error as ClaimNotFound {
            throw Abort(.notFound, reason: error.description)
        }
    }
}

/// The console's access check for one page: the API's rule `ruleKey` with the session's
/// credentials (``AccessControlMiddleware``), built when the request comes (the security services
/// exist once the application has booted).
struct ConsoleAccess: AsyncMiddleware {
    let ruleKey: String
    let idleSeconds: Double

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        try await AccessControlMiddleware(
            rule: AccessPolicy.rules[ruleKey], security: try ConsoleController.security(request),
            credentials: .session(idleSeconds: idleSeconds)
        ).respond(to: request, chainingTo: next)
    }
}

/// Serves the console from `rcm serve` over `services`: Leaf templates from the target's resources,
/// sessions in the database, the pages of ``ConsoleController``; and the API's contract and its
/// reference page (``OpenAPIController``), which share the templates.
/// - Parameter chargemaster: prices FHIR clinical bundles uploaded (`RCM_CHARGEMASTER`).
public func configureConsole(
    _ app: Application, services: ClaimServices, configuration: RCMConfiguration, chargemaster: Chargemaster? = nil
) throws {
    let views = ConsoleController.resources.appendingPathComponent("Views").path + "/"
    app.views.use(.leaf)
    // Not `.toVisibleFiles`: a development build's resources are under `.build/`.
    app.leaf.sources = .singleSource(
        NIOLeafFiles(
            fileio: app.fileio, limits: [.toSandbox, .requireExtensions, .onlyLeafExtensions],
            sandboxDirectory: views, viewDirectory: views))
    app.sessions.use(.fluent)
    app.sessions.configuration = SessionsConfiguration(cookieName: ConsoleSession.cookieName) { id in
        HTTPCookies.Value(string: id.string, path: "/", isSecure: false, isHTTPOnly: true, sameSite: .strict)
    }
    let (engine, denials) = (services.engine, services.denials)
    try ConsoleController(
        analytics: services.analytics, queue: services.denials, desk: services.desk, ledger: services.ledger,
        poster: services.poster, engine: services.engine, claims: services.claims, chargemaster: chargemaster,
        browser: { ClaimBrowser(database: $0.db, engine: engine, denials: denials) },
        targets: configuration.kpiTargets, idleSeconds: Double(configuration.consoleIdleMinutes * 60)
    ).register(app)
    OpenAPIController(document: try OpenAPIDocument.load()).register(app)
}
