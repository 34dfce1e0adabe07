import FHIR
import Fluent
import Foundation
import HCX
import RCMCore
import RevenueCycle
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import RCMServer

/// Authentication, the permission table on every route, and the tamper-evident audit trail.
@Suite(.serialized) struct SecurityTests {
    /// An application with every route `rcm serve` registers (the HCX callbacks included).
    /// - Parameter console: also the console and the API's contract (``configureConsole``), as
    ///   `rcm serve` registers them.
    func withServerApp(
        _ kind: TestDatabase = .sqlite, console: Bool = false,
        _ body: (Application, RCMConfiguration) async throws -> Void
    ) async throws {
        try await kind.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                try await app.autoMigrate()
                let providerKey = HCXCallbackRouteTests.gatewayKey
                let hcx = HCXConnection(
                    participantCode: configuration.participantCode,
                    client: HCXClient(
                        baseURL: "http://127.0.0.1:1/v0.7", httpClient: app.http.client.shared, logger: app.logger),
                    privateKey: providerKey, recipientKey: { _ in providerKey.publicKey })
                let services = try ClaimServices(
                    database: app.db, configuration: configuration, hcx: hcx, codeSets: CodeSetCatalog(releases: []),
                    logger: app.logger)
                try configureWorkflowRoutes(app, services: services)
                if console { try configureConsole(app, services: services, configuration: configuration) }
                try configureCodeRoutes(app, catalog: CodeSetCatalog(releases: []))
                try configureHCXCallbacks(
                    app, configuration, services: services,
                    gateway: try await .verifying(
                        gatewayCertificateOrPublicKeyPEM: providerKey.publicKey.pemRepresentation))
                try await app.asyncBoot()
                try await body(app, configuration)
            }
        }
    }

    /// A concrete path for a route template.
    static func path(_ route: Route) -> String {
        route.path.map { component -> String in
            switch component {
            case .parameter("system"): "icd-10-cm"
            case .parameter("code"): "E11.9"
            case .parameter: "no-such-thing"
            default: component.description
            }
        }.joined(separator: "/")
    }

    @Test func everyRouteIsInThePermissionTableOrDeliberatelyOpen() async throws {
        try await withServerApp { app, configuration in
            let prefix = String(configuration.hcxVersionPrefix.dropFirst())
            var registered: Set<String> = []
            for route in app.routes.all {
                let key = AccessPolicy.key(method: route.method, path: route.path)
                if route.path.first?.description == prefix { continue }
                registered.insert(key)
                #expect(
                    AccessPolicy.rules[key] != nil || AccessPolicy.open.contains(key),
                    "\(key) has no entry in AccessPolicy.rules: add one (routes not in the table are denied)")
            }
            // And the table names no route that does not exist.
            #expect(Set(AccessPolicy.rules.keys).subtracting(registered).isEmpty)
        }
    }

    @Test func everyRouteTimesEveryRoleAnswersAsTheTableSays() async throws {
        try await withServerApp { app, configuration in
            let prefix = String(configuration.hcxVersionPrefix.dropFirst())
            var headersByRole: [Role: HTTPHeaders] = [:]
            for role in Role.allCases { headersByRole[role] = try await TestSecurity.headers(app, role) }
            let security = try #require(app.security)
            let someone = try #require(try await security.users.list().first)
            // An expired token, correctly signed; a tampered one (payload changed, signature kept).
            let principal = try #require(try await security.users.principal(id: someone.id))
            let expired = try await security.tokens.issue(for: principal, now: Date().addingTimeInterval(-3600))
            let valid = try await security.tokens.issue(for: principal)
            var parts = valid.split(separator: ".").map(String.init)
            parts[1] = String(parts[1].reversed())
            let tampered = parts.joined(separator: ".")
            let badHeaders: [(String, HTTPHeaders)] = [
                ("no token", [:]), ("expired token", ["Authorization": "Bearer \(expired)"]),
                ("tampered token", ["Authorization": "Bearer \(tampered)"]),
                ("unknown API key", ["Authorization": "Bearer rcm_\(String(repeating: "0", count: 32))_secret"]),
            ]
            var checked = 0
            for route in app.routes.all where route.path.first?.description != prefix {
                let key = AccessPolicy.key(method: route.method, path: route.path)
                let path = "/" + Self.path(route)
                if AccessPolicy.open.contains(key) {
                    try await app.testing().test(route.method, path) { response async throws in
                        #expect(![401, 403].contains(response.status.code), "\(key) is open")
                    }
                    continue
                }
                let allowed = AccessPolicy.rules[key]?.roles ?? []
                for role in Role.allCases {
                    try await app.testing().test(route.method, path, headers: headersByRole[role]!) {
                        response async throws in
                        if allowed.contains(role) {
                            #expect(![401, 403].contains(response.status.code), "\(key) as \(role.rawValue)")
                        } else {
                            #expect(response.status == .forbidden, "\(key) as \(role.rawValue)")
                        }
                    }
                    checked += 1
                }
                for (name, headers) in badHeaders {
                    try await app.testing().test(route.method, path, headers: headers) { response async throws in
                        #expect(response.status == .unauthorized, "\(key) with \(name)")
                        #expect(response.headers.first(name: "WWW-Authenticate") == "Bearer")
                    }
                }
            }
            #expect(checked >= AccessPolicy.rules.count * Role.allCases.count)
        }
    }

    @Test func loginRefreshLogoutAndTheSameAnswerForUnknownAccounts() async throws {
        try await withServerApp { app, _ in
            _ = try await TestSecurity.headers(app, .biller, email: "Biller@Clinic.test")
            func login(_ email: String, _ password: String) async throws -> (HTTPStatus, String) {
                var result: (HTTPStatus, String) = (.ok, "")
                try await app.testing().test(
                    .POST, "api/v1/auth/login",
                    beforeRequest: { request in
                        try request.content.encode(["email": email, "password": password], as: .json)
                    },
                    afterResponse: { response async throws in result = (response.status, response.body.string) })
                return result
            }
            let (status, body) = try await login("biller@clinic.test", TestSecurity.password)
            #expect(status == .ok)
            let pair = try JSONDecoder().decode(AuthController.TokenPair.self, from: Data(body.utf8))
            #expect(pair.expiresIn == 900)
            #expect(pair.roles == ["biller"])
            try await app.testing().test(
                .GET, "api/v1/workflows", headers: ["Authorization": "Bearer \(pair.accessToken)"]
            ) { response async throws in
                #expect(response.status == .ok)
            }
            // Wrong password and unknown account: one answer.
            let wrong = try await login("biller@clinic.test", "not the password")
            let unknown = try await login("nobody@clinic.test", "not the password")
            #expect(wrong.0 == .unauthorized)
            #expect(unknown.0 == .unauthorized)
            let detail = { (text: String) in try JSONDecoder().decode(ProblemDetails.self, from: Data(text.utf8)).detail
            }
            #expect(try detail(wrong.1) == detail(unknown.1))

            // Refresh rotates: the old refresh token works once.
            func refresh(_ token: String) async throws -> (HTTPStatus, String) {
                var result: (HTTPStatus, String) = (.ok, "")
                try await app.testing().test(
                    .POST, "api/v1/auth/refresh",
                    beforeRequest: { try $0.content.encode(["refresh_token": token], as: .json) },
                    afterResponse: { result = ($0.status, $0.body.string) })
                return result
            }
            let renewed = try await refresh(pair.refreshToken)
            #expect(renewed.0 == .ok)
            #expect(try await refresh(pair.refreshToken).0 == .unauthorized)
            // The refused reuse is in the audit trail.
            #expect(
                try await app.security!.audit.entries(action: "auth.refresh").contains {
                    $0.outcome == "denied" && $0.status == 401
                })
            // A body without a password: 400 naming the field, not Swift's decoder internals.
            try await app.testing().test(
                .POST, "api/v1/auth/login", beforeRequest: { try $0.content.encode(["email": "x@y.test"], as: .json) }
            ) { response async throws in
                #expect(response.status == .badRequest)
                let problem = try JSONDecoder().decode(ProblemDetails.self, from: Data(buffer: response.body))
                #expect(problem.errors == [.init(field: "password", message: "is required")])
                #expect(!response.body.string.contains("CodingKeys"))
            }
            let second = try JSONDecoder().decode(AuthController.TokenPair.self, from: Data(renewed.1.utf8))
            try await app.testing().test(
                .POST, "api/v1/auth/logout",
                beforeRequest: { try $0.content.encode(["refresh_token": second.refreshToken], as: .json) }
            ) { response async throws in #expect(response.status == .noContent) }
            #expect(try await refresh(second.refreshToken).0 == .unauthorized)

            // A disabled user's access token stops working at once.
            try await app.security!.users.setDisabled(true, email: "biller@clinic.test")
            try await app.testing().test(
                .GET, "api/v1/workflows", headers: ["Authorization": "Bearer \(second.accessToken)"]
            ) { response async throws in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func failedLoginsAreThrottledPerAccountWithoutRevealingIt() async throws {
        try await withServerApp { app, _ in
            _ = try await TestSecurity.headers(app, .coder, email: "coder@clinic.test")
            for email in ["coder@clinic.test", "ghost@clinic.test"] {
                var statuses: [UInt] = []
                for attempt in 0..<6 {
                    let password = attempt == 5 ? TestSecurity.password : "wrong password \(attempt)"
                    try await app.testing().test(
                        .POST, "api/v1/auth/login",
                        beforeRequest: { try $0.content.encode(["email": email, "password": password], as: .json) },
                        afterResponse: { statuses.append($0.status.code) })
                }
                // Five failures, then even the right password waits (and an unknown account looks the same).
                #expect(statuses == [401, 401, 401, 401, 401, 429], "\(email)")
            }
        }
    }

    @Test func actionsAreAuditedAndTheChainNamesTheFirstTamperedEntry() async throws {
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                try await app.autoMigrate()
                // Routes are registered before the application boots (as rcm serve does).
                _ = try await WorkflowRouteTests.seed(app)
                let headers = try await TestSecurity.headers(app, .biller, email: "auditme@clinic.test")
                try await app.testing().test(.GET, "api/v1/workflows/demo-waiting", headers: headers) {
                    response async throws in
                    #expect(response.status == .ok)
                }
                var withAgent = headers
                withAgent.add(name: .userAgent, value: "rcm-test/1")
                try await app.testing().test(.POST, "api/v1/workflows/demo-waiting/pause", headers: withAgent) {
                    response async throws in
                    #expect(response.status == .ok)
                }
                try await app.testing().test(.GET, "api/v1/audit", headers: headers) { response async throws in
                    #expect(response.status == .forbidden)
                }
                let trail = try #require(app.security).audit
                let entries = try await trail.entries()
                let pause = try #require(entries.first { $0.action == "workflow.pause" })
                #expect(pause.actor == "user:auditme@clinic.test")
                #expect(pause.role == "biller")
                #expect(pause.resourceType == "workflow")
                #expect(pause.resourceID == "demo-waiting")
                #expect(pause.outcome == "success")
                #expect(pause.status == 200)
                #expect(pause.userAgent == "rcm-test/1")
                #expect(pause.requestID != nil)
                #expect(pause.changes == #"{"status":{"after":"PAUSED","before":"IN_PROGRESS"}}"#)
                let read = try #require(entries.first { $0.action == "workflow.read" })
                #expect(read.changes == nil)
                #expect(entries.contains { $0.action == "audit.read" && $0.outcome == "denied" && $0.status == 403 })
                // An auditor reads the trail, also as FHIR AuditEvents.
                let auditor = try await TestSecurity.headers(app, .auditor)
                try await app.testing().test(.GET, "api/v1/audit?action=workflow.pause&format=fhir", headers: auditor) {
                    response async throws in
                    #expect(response.status == .ok)
                    #expect(response.headers.contentType?.description == "application/fhir+json")
                    let bundle = try JSONDecoder().decode(JSONValue.self, from: Data(buffer: response.body))
                    #expect(bundle["resourceType"]?.stringValue == "Bundle")
                    guard case .array(let events)? = bundle["entry"] else { throw TestSetupError("no entries") }
                    #expect(events.count == 1)
                    #expect(events[0]["resource"]?["resourceType"]?.stringValue == "AuditEvent")
                    #expect(events[0]["resource"]?["action"]?.stringValue == "U")
                    #expect(events[0]["resource"]?["outcome"]?.stringValue == "0")
                }
                #expect(try await trail.verify() == .intact(entries: try await AuditLogModel.query(on: app.db).count()))
            }
        }
    }

    /// Five entries, then one kind of tampering done directly in the database.
    @Test(arguments: ["edit", "delete", "swap"])
    func verifyNamesTheFirstBrokenEntry(_ tampering: String) async throws {
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                try await app.autoMigrate()
                let trail = AuditTrail(database: app.db, hmacKey: "audit-test-key")
                for index in 1...5 {
                    try await trail.append(
                        AuditTrail.Record(
                            actor: "cli:test", action: "user.create", resourceType: "user",
                            resourceID: "u\(index)@clinic.test", outcome: "success"))
                }
                #expect(try await trail.verify() == .intact(entries: 5))
                // Another key cannot vouch for the chain.
                guard case .broken(1, _, _) = try await AuditTrail(database: app.db, hmacKey: "other").verify() else {
                    Issue.record("a chain checked under another key passed")
                    return
                }
                let sql = app.db as! any SQLDatabase
                switch tampering {
                case "edit":
                    try await sql.raw("UPDATE audit_logs SET resource_id = 'u9@clinic.test' WHERE seq = 3").run()
                case "delete":
                    try await sql.raw("DELETE FROM audit_logs WHERE seq = 3").run()
                default:
                    // Swap entries 2 and 3 (their places in the chain).
                    try await sql.raw("UPDATE audit_logs SET seq = 100 WHERE seq = 2").run()
                    try await sql.raw("UPDATE audit_logs SET seq = 2 WHERE seq = 3").run()
                    try await sql.raw("UPDATE audit_logs SET seq = 3 WHERE seq = 100").run()
                }
                guard case .broken(let seq, _, let reason) = try await trail.verify() else {
                    Issue.record("\(tampering) went unnoticed")
                    return
                }
                switch tampering {
                case "edit":
                    #expect(seq == 3)
                    #expect(reason.contains("changed"))
                case "delete":
                    #expect(seq == 4)
                    #expect(reason.contains("entry 3 is missing"))
                default:
                    #expect(seq == 2)
                }
                // The command line says the same, with exit status 1.
                let run = try await CommandLineTests.run(
                    ["audit", "verify"],
                    environment: [
                        "DATABASE_URL": try #require(CommandLineTests.databaseURL(configuration)),
                        "RCM_AUDIT_HMAC_KEY": "audit-test-key",
                    ])
                #expect(run.status == 1)
                #expect(run.stdout.hasPrefix("audit trail broken at entry \(seq) "), "\(run.stdout) \(run.stderr)")
            }
        }
    }

    @Test(.enabled(if: TestDatabase.available.contains(.postgres)))
    func onPostgreSQLTheAppRoleCannotChangeOrDeleteAuditRows() async throws {
        try await TestDatabase.postgres.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                try await app.autoMigrate()
                let trail = AuditTrail(database: app.db)
                try await trail.append(
                    AuditTrail.Record(
                        actor: "cli:test", action: "user.create", resourceType: "user", outcome: "success"))
                let sql = app.db as! any SQLDatabase
                await #expect(throws: (any Error).self) {
                    try await sql.raw("UPDATE audit_logs SET actor = 'x'").run()
                }
                await #expect(throws: (any Error).self) { try await sql.raw("DELETE FROM audit_logs").run() }
                #expect(try await trail.verify() == .intact(entries: 1))
            }
        }
    }

    @Test func concurrentAppendsNeverForkTheChain() async throws {
        try await withServerApp { app, _ in
            let trail = try #require(app.security).audit
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        try await trail.append(
                            AuditTrail.Record(
                                actor: "system:worker-\(index % 4)", action: "claim.outcome", resourceType: "claim",
                                resourceID: "c\(index)", outcome: "success"))
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await trail.verify() == .intact(entries: 40))
        }
    }

    @Test func operatorsManageUsersFromTheCommandLineAndEveryChangeIsAudited() async throws {
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            let environment = [
                "DATABASE_URL": try #require(CommandLineTests.databaseURL(configuration)), "USER": "ops",
            ]
            #expect(try await CommandLineTests.run(["migrate", "--yes"], environment: environment).status == 0)
            let admin = try await CommandLineTests.run(
                ["users", "create", "--email", "First.Admin@Clinic.test", "--role", "admin"], environment: environment)
            #expect(admin.status == 0, "\(admin.stderr)")
            #expect(
                admin.stdout.hasPrefix(
                    "created person first.admin@clinic.test with roles admin\npassword (shown once): "))
            let generated = String(admin.stdout.split(separator: " ").last ?? "").trimmingCharacters(in: .newlines)
            #expect(generated.count == 20)
            let short = try await CommandLineTests.run(
                ["users", "create", "--email", "coder@clinic.test", "--role", "coder", "--password-stdin"],
                environment: environment, input: Data("short\n".utf8))
            #expect(short.status == 1)
            #expect(short.stderr.contains("password rejected: at least 12 characters"))
            #expect(
                try await CommandLineTests.run(
                    [
                        "users", "create", "--email", "coder@clinic.test", "--role", "coder", "biller",
                        "--password-stdin",
                    ],
                    environment: environment, input: Data("a long enough passphrase\n".utf8)
                ).status == 0)
            #expect(
                try await CommandLineTests.run(
                    ["users", "create", "--email", "x@clinic.test", "--role", "boss"], environment: environment
                )
                .stderr.contains("'boss' is not a role"))
            #expect(
                try await CommandLineTests.run(
                    ["users", "disable", "--email", "coder@clinic.test"], environment: environment
                ).status == 0)
            let listed = try await CommandLineTests.run(["users", "list"], environment: environment).stdout
            #expect(
                listed
                    == "coder@clinic.test\tperson\tbiller,coder\tdisabled\nfirst.admin@clinic.test\tperson\tadmin\tenabled\n"
            )
            // The generated password logs in; the disabled user cannot.
            try await TestDatabase.withApp(configuration) { app in
                try await app.asyncBoot()
                let users = try #require(app.security).users
                #expect(try await users.authenticate(email: "first.admin@clinic.test", password: generated) != nil)
                #expect(
                    try await users.authenticate(email: "coder@clinic.test", password: "a long enough passphrase")
                        == nil)
                let actions = try await AuditTrail(database: app.db).entries().filter { $0.actor == "cli:ops" }
                    .map(\.action)
                #expect(actions == ["user.disable", "user.create", "user.create"])
            }
            let verified = try await CommandLineTests.run(["audit", "verify"], environment: environment)
            #expect(verified.stdout == "audit trail intact: 3 entries\n")
            #expect(verified.status == 0)
        }
    }

    @Test func passwordsAndTokensNeverReachTheAuditTrailOrTheLogs() async throws {
        let captured = CapturedLog()
        try await withServerApp { app, _ in
            app.logger = Logger(label: "capture") { _ in captured }
            _ = try await TestSecurity.headers(app, .admin, email: "secret-keeper@clinic.test")
            var tokens: [String] = []
            for password in ["wrong-password-123", TestSecurity.password] {
                try await app.testing().test(
                    .POST, "api/v1/auth/login",
                    beforeRequest: {
                        try $0.content.encode(["email": "secret-keeper@clinic.test", "password": password], as: .json)
                    },
                    afterResponse: { response in
                        if let pair = try? response.content.decode(AuthController.TokenPair.self) {
                            tokens += [pair.accessToken, pair.refreshToken]
                        }
                    })
            }
            #expect(tokens.count == 2)
            try await app.testing().test(
                .GET, "api/v1/audit", headers: ["Authorization": "Bearer \(tokens[0])"]
            ) { response async throws in #expect(response.status == .ok) }
            let secrets = tokens + ["wrong-password-123", TestSecurity.password]
            let rows = try await (app.db as! any SQLDatabase).raw("SELECT * FROM audit_logs").all()
            #expect(rows.count >= 3)
            let dump = try rows.map { row in
                try row.allColumns.map { column in
                    (try? row.decode(column: column, as: String?.self)) ?? nil
                }.compactMap { $0 }.joined(separator: " ")
            }.joined(separator: "\n")
            let logs = captured.text
            for secret in secrets {
                #expect(!dump.contains(secret))
                #expect(!logs.contains(secret))
            }
            #expect(dump.contains("auth.login"))
        }
    }
}

/// A log handler that keeps every line (for the secrets scan). One instance serves every copy of
/// the logger, on every thread (Vapor sets a request id on each request's copy), so its metadata
/// is read and written under the lock too: unguarded, a line formatted while another thread set a
/// key crashed the test process (CI, 2026-12-02).
final class CapturedLog: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    private var storedMetadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    var metadata: Logger.Metadata {
        get { lock.withLock { storedMetadata } }
        set { lock.withLock { storedMetadata = newValue } }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { lock.withLock { storedMetadata[key] } }
        set { lock.withLock { storedMetadata[key] = newValue } }
    }

    func log(event: LogEvent) {
        lock.withLock {
            lines.append("\(event.level) \(event.message) \(event.metadata ?? [:]) \(storedMetadata)")
        }
    }

    var text: String { lock.withLock { lines.joined(separator: "\n") } }
}
