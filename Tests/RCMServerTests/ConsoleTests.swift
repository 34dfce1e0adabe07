import Fluent
import Foundation
import HCXSandbox
import RCMCore
import RevenueCycle
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import RCMServer
@testable import rcm

/// The console's pages through HTTP: sign-in with the session cookie and CSRF tokens, the pages'
/// rendering (escaping, empty states), the permission table on pages and forms, security headers.
@Suite(.serialized) struct ConsoleTests {
    /// A browser of the in-memory tester: keeps the session cookie.
    final class Browser: @unchecked Sendable {
        let app: Application
        var cookie: String?

        init(_ app: Application) { self.app = app }

        @discardableResult
        func request(_ method: HTTPMethod, _ path: String, form: [String: String]? = nil) async throws -> (
            status: HTTPStatus, headers: HTTPHeaders, body: String
        ) {
            var headers = HTTPHeaders()
            if let cookie { headers.add(name: .cookie, value: "\(ConsoleSession.cookieName)=\(cookie)") }
            var body: ByteBuffer?
            if let form {
                headers.contentType = .urlEncodedForm
                var components = URLComponents()
                components.queryItems = form.sorted { $0.key < $1.key }.map {
                    URLQueryItem(name: $0.key, value: $0.value)
                }
                body = ByteBuffer(
                    string: (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B"))
            }
            var result: (HTTPStatus, HTTPHeaders, String) = (.ok, [:], "")
            try await app.testing().test(method, path, headers: headers, body: body) { response in
                result = (response.status, response.headers, response.body.string)
                if let value = response.headers.setCookie?[ConsoleSession.cookieName] {
                    cookie = value.expires.map { $0 < Date() } == true ? nil : value.string
                }
            }
            return result
        }

        /// Posts `data` as the file (field `field`) of a multipart form, with the CSRF token and
        /// `fields`.
        func upload(
            _ path: String, name: String, data: Data, csrf: String, field: String = "file",
            fields: [String: String] = [:]
        ) async throws -> (HTTPStatus, String) {
            let boundary = "rcm-test-\(UUID().uuidString)"
            var body = ByteBuffer()
            for (key, value) in fields.merging(["_csrf": csrf], uniquingKeysWith: { $1 }).sorted(by: { $0.key < $1.key }
            ) {
                body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(key)\"\r\n\r\n\(value)\r\n")
            }
            body.writeString(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(name)\"\r\n"
                    + "Content-Type: application/json\r\n\r\n")
            body.writeBytes(data)
            body.writeString("\r\n--\(boundary)--\r\n")
            var headers = HTTPHeaders()
            if let cookie { headers.add(name: .cookie, value: "\(ConsoleSession.cookieName)=\(cookie)") }
            headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
            var result: (HTTPStatus, String) = (.ok, "")
            try await app.testing().test(.POST, path, headers: headers, body: body) { response in
                result = (response.status, response.body.string)
            }
            return result
        }

        /// The CSRF token in a page's forms.
        static func csrf(_ page: String) throws -> String {
            let marker = #"name="_csrf" value=""#
            let start = try #require(page.range(of: marker)).upperBound
            return String(page[start...].prefix { $0 != "\"" })
        }

        func signIn(_ email: String) async throws -> HTTPStatus {
            let page = try await request(.GET, "sign-in")
            return try await request(
                .POST, "sign-in",
                form: [
                    "_csrf": try Self.csrf(page.body), "email": email, "password": TestSecurity.password, "next": "/",
                ]
            ).status
        }
    }

    /// An application serving the API and the console over `configuration`'s database, booted,
    /// with a billing manager and a read-only user.
    static func withConsole(
        _ configuration: RCMConfiguration, _ body: (Application) async throws -> Void
    ) async throws {
        try await TestDatabase.withApp(configuration) { app in
            try await SchemaMigrations.migrateEmbeddedDatabase(app, configuration)
            let services = try ClaimServices(
                app: app, configuration: configuration,
                hcx: try GatewayConnection.connectionOrUnconfigured(configuration, app: app), codeSets: false)
            try configureWorkflowRoutes(app, services: services)
            try configureConsole(app, services: services, configuration: configuration)
            try await app.asyncBoot()
            let users = UserDirectory(database: app.db, bcryptCost: 4)
            _ = try await users.create(
                email: "boss@rcm.test", roles: [.billingManager], password: TestSecurity.password)
            _ = try await users.create(email: "viewer@rcm.test", roles: [.readOnly], password: TestSecurity.password)
            try await body(app)
        }
    }

    /// `rcm process` of the sample encounters into `configuration`'s database.
    static func sampleRun(_ configuration: RCMConfiguration) async throws {
        try await TestDatabase.withApp(configuration) { app in
            try await SchemaMigrations.migrateEmbeddedDatabase(app, configuration)
            let data = try Data(contentsOf: Samples.own("encounters-clinic-week.json"))
            _ = try await ClaimRuntime.run(app: app, configuration: configuration, sandboxRules: .default) {
                try await $0.services.processor.process(
                    [ClaimInput(name: "encounters-clinic-week.json", data: data)],
                    waitSeconds: configuration.adjudicationTimeoutSeconds)
            }
        }
    }

    @Test func paymentsAreMatchedAndWorkflowsOperatedThroughTheirForms() async throws {
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            try await Self.sampleRun(configuration)
            try await Self.withConsole(configuration) { app in
                var api = try await TestSecurity.headers(app, .biller)
                api.contentType = .json
                try await app.testing().test(
                    .POST, "api/v1/payments", headers: api,
                    body: ByteBuffer(
                        string: #"{"payment_identifier":"NEFT/77 <b>","amount":"50.00","claim_identifier":"UNKNOWN-9"}"#
                    )
                ) { response in #expect(response.status == .created) }
                let claim = try #require(try await ClaimModel.query(on: app.db).first()?.requireID())
                let run = "claim-\(claim.uuidString.lowercased())"
                try await (app.db as! any SQLDatabase).raw(
                    "UPDATE workflow_state SET status = 'FAILED', last_error = 'test: gateway away' WHERE id = \(bind: run)"
                ).run()

                let browser = Browser(app)
                #expect(try await browser.signIn("boss@rcm.test") == .seeOther)
                let payments = try await browser.request(.GET, "payments")
                #expect(payments.body.contains("NEFT/77 &lt;b&gt;"))
                let action = "payments/NEFT%2F77%20%3Cb%3E/match"
                #expect(payments.body.contains(#"action="/\#(action)""#))
                let csrf = try Browser.csrf(payments.body)
                let bad = try await browser.request(.POST, action, form: ["_csrf": csrf, "claim_id": "not-a-claim"])
                #expect(bad.status == .unprocessableEntity)
                #expect(bad.body.contains("claim_id: give the claim"))
                let matched = try await browser.request(
                    .POST, action, form: ["_csrf": csrf, "claim_id": claim.uuidString.lowercased()])
                #expect(matched.status == .seeOther)
                #expect(try await browser.request(.GET, "payments").body.contains("No unmatched payments."))

                let workflows = try await browser.request(.GET, "workflows")
                #expect(workflows.body.contains("test: gateway away"))
                #expect(workflows.body.contains(#"formaction="/workflows/\#(run)/resume""#))
                let resumed = try await browser.request(.POST, "workflows/\(run)/resume", form: ["_csrf": csrf])
                #expect(resumed.status == .seeOther)
                let status = try await (app.db as! any SQLDatabase).raw(
                    "SELECT status FROM workflow_state WHERE id = \(bind: run)"
                ).first()?.decode(column: "status", as: String.self)
                #expect(status == "IN_PROGRESS")
                let again = try await browser.request(.POST, "workflows/\(run)/resume", form: ["_csrf": csrf])
                #expect(again.status == .seeOther, "resuming a run in progress wakes it")
                let cancelled = try await browser.request(.POST, "workflows/\(run)/cancel", form: ["_csrf": csrf])
                #expect(cancelled.status == .seeOther)
                let twice = try await browser.request(.POST, "workflows/\(run)/resume", form: ["_csrf": csrf])
                #expect(twice.status == .conflict, "a cancelled run cannot be resumed: the page says why")

                let viewer = Browser(app)
                #expect(try await viewer.signIn("viewer@rcm.test") == .seeOther)
                #expect(!(try await viewer.request(.GET, "workflows").body.contains("formaction")))
            }
        }
    }

    @Test func signInPagesFormsAndRolesWorkEndToEnd() async throws {
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            try await Self.sampleRun(configuration)
            try await TestDatabase.withApp(configuration) { app in
                // A patient reference an attacker chose, shown on the claims page.
                try await (app.db as! any SQLDatabase).raw(
                    "UPDATE claims SET patient_reference = '<script>alert(1)</script>' WHERE identifier_value = 'ENC-2026-000201'"
                ).run()
            }
            try await Self.withConsole(configuration) { app in
                let browser = Browser(app)
                // Without a session every page sends the browser to sign in.
                let anonymous = try await browser.request(.GET, "/")
                #expect(anonymous.status == .seeOther)
                #expect(anonymous.headers.first(name: .location) == "/sign-in?next=/")

                // A wrong password: the page again, with the message; no session.
                let page = try await browser.request(.GET, "sign-in")
                #expect(page.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
                #expect(page.headers.first(name: "X-Content-Type-Options") == "nosniff")
                #expect(page.headers.first(name: "Referrer-Policy") == "same-origin")
                let wrong = try await browser.request(
                    .POST, "sign-in",
                    form: ["_csrf": try Browser.csrf(page.body), "email": "boss@rcm.test", "password": "nope"])
                #expect(wrong.status == .unauthorized)
                #expect(wrong.body.contains("invalid e-mail or password"))
                // A sign-in form from elsewhere (no CSRF token) is refused.
                #expect(
                    try await browser.request(
                        .POST, "sign-in", form: ["email": "boss@rcm.test", "password": TestSecurity.password]
                    ).status == .forbidden)

                // Abandoned sessions (idle past the limit, or without a time of use) are deleted at
                // the next sign-in; one in use stays.
                let now = Int(Date().timeIntervalSince1970)
                for (key, seen) in [("abandoned", now - 31 * 60), ("in-use", now - 60)] {
                    try await SessionRecord(
                        key: SessionID(string: key), data: SessionData(initialData: ["seen": String(seen)])
                    ).create(on: app.db)
                }
                try await SessionRecord(key: SessionID(string: "no-time"), data: SessionData()).create(on: app.db)
                #expect(try await browser.signIn("boss@rcm.test") == .seeOther)
                let kept = try await SessionRecord.query(on: app.db).all().map(\.key.string)
                #expect(kept.contains("in-use") && !kept.contains("abandoned") && !kept.contains("no-time"), "\(kept)")
                let dashboard = try await browser.request(.GET, "/?from=2026-01-01&to=2026-12-31")
                #expect(dashboard.status == .ok)
                #expect(dashboard.body.contains(#"data-kpi="clean_claim_rate""#))
                #expect(dashboard.body.contains("<svg"))
                #expect(dashboard.body.contains(#"<script src="/console.js" defer></script>"#))
                #expect(!dashboard.body.contains("<script>"), "no inline script")
                // The tiles are the API's figures.
                let figures = try await AnalyticsReport(database: app.db, calendar: BillingCalendar())
                    .kpis(
                        .read(
                            from: "2026-01-01", to: "2026-12-31", payer: nil, provider: nil,
                            today: BillingCalendar().today()))
                let clean = try #require(figures.first { $0.kpi == .cleanClaimRate })
                #expect(dashboard.body.contains(#"data-value="\#(clean.valueText ?? "")">"#))
                let bad = try await browser.request(.GET, "/?from=someday")
                #expect(bad.status == .badRequest)
                #expect(
                    bad.body.contains("from: &#39;someday&#39; is not a date") || bad.body.contains("from: 'someday'"))

                let claims = try await browser.request(.GET, "claims")
                #expect(claims.status == .ok)
                #expect(!claims.body.contains("<script>alert(1)</script>"))
                #expect(claims.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))

                // The denial queue: the manager may act; an empty reason is refused on the page.
                let queue = try await browser.request(.GET, "denials")
                let csrf = try Browser.csrf(queue.body)
                let stopped = try #require(
                    try await ClaimModel.query(on: app.db).filter(\.$outcome == "rejected").first()?.requireID())
                #expect(queue.body.contains(#"formaction="/denials/\#(stopped.uuidString.lowercased())/write-off""#))
                let empty = try await browser.request(
                    .POST, "denials/\(stopped.uuidString.lowercased())/write-off", form: ["_csrf": csrf, "reason": ""])
                #expect(empty.status == .unprocessableEntity)
                #expect(empty.body.contains("reason: give the reason"))
                let forged = try await browser.request(
                    .POST, "denials/\(stopped.uuidString.lowercased())/write-off",
                    form: ["_csrf": "forged", "reason": "x"])
                #expect(forged.status == .forbidden)
                let done = try await browser.request(
                    .POST, "denials/\(stopped.uuidString.lowercased())/write-off",
                    form: ["_csrf": csrf, "reason": "lapsed policy, patient billed"])
                #expect(done.status == .seeOther)
                let after = try await browser.request(.GET, "denials")
                #expect(!after.body.contains(#"data-claim="\#(stopped.uuidString.lowercased())""#))
                let detail = try await browser.request(.GET, "claims/\(stopped.uuidString.lowercased())")
                #expect(detail.body.contains("denial.write-off"), "the claim's page shows its audit entries")

                // A corrected claim uploaded with a resubmission: refused when it is not JSON or the
                // action is not a resubmission; taken when it is a claim bundle.
                let deniedClaim = try #require(
                    try await ClaimModel.query(on: app.db).filter(\.$outcome == "denied").first())
                let deniedPath = "denials/\(try deniedClaim.requireID().uuidString.lowercased())"
                let notJSON = try await browser.upload(
                    "\(deniedPath)/resubmit", name: "fix.json", data: Data("not json".utf8), csrf: csrf,
                    field: "correction", fields: ["reason": "codes corrected"])
                #expect(notJSON.0 == .unprocessableEntity)
                #expect(notJSON.1.contains("correction: fix.json is not JSON"))
                let bundle = Data(deniedClaim.bundle.utf8)
                let toAppeal = try await browser.upload(
                    "\(deniedPath)/appeal", name: "fix.json", data: bundle, csrf: csrf, field: "correction",
                    fields: ["reason": "codes corrected"])
                #expect(toAppeal.0 == .unprocessableEntity)
                #expect(toAppeal.1.contains("correction: only a resubmission takes a corrected claim"))
                let resubmitted = try await browser.upload(
                    "\(deniedPath)/resubmit", name: "fix.json", data: bundle, csrf: csrf, field: "correction",
                    fields: ["reason": "codes corrected"])
                #expect(resubmitted.0 == .seeOther, "\(resubmitted.1)")
                #expect(
                    try await DenialActionModel.query(on: app.db).filter(\.$action == "correct_and_resubmit").count()
                        == 1)

                // Sign-out ends the session.
                #expect(try await browser.request(.POST, "sign-out", form: ["_csrf": csrf]).status == .seeOther)
                let signOuts = try await #require(app.security).audit.entries(action: "auth.logout")
                #expect(signOuts.first?.actor == "user:boss@rcm.test", "audited under the actor that signed in")
                #expect(try await browser.request(.GET, "denials").status == .seeOther)

                // A viewer sees no action, and a forged action is refused by the permission table.
                let viewer = Browser(app)
                #expect(try await viewer.signIn("viewer@rcm.test") == .seeOther)
                let viewerQueue = try await viewer.request(.GET, "denials")
                #expect(viewerQueue.status == .ok)
                #expect(!viewerQueue.body.contains("formaction"))
                let denied = try #require(
                    try await ClaimModel.query(on: app.db).filter(\.$outcome == "denied").first()?.requireID())
                let refused = try await viewer.request(
                    .POST, "denials/\(denied.uuidString.lowercased())/appeal",
                    form: ["_csrf": try Browser.csrf(viewerQueue.body), "reason": "try"])
                #expect(refused.status == .forbidden)
                #expect(refused.headers.contentType?.subType == "html")
            }
        }
    }

    @Test func aFileOfEncountersIsTakenInWithALinePerEntry() async throws {
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            try await Self.withConsole(configuration) { app in
                let browser = Browser(app)
                #expect(try await browser.signIn("boss@rcm.test") == .seeOther)
                let page = try await browser.request(.GET, "upload")
                #expect(page.body.contains(#"enctype="multipart/form-data""#))
                let csrf = try Browser.csrf(page.body)
                var file = EncounterBatch.ndjson(count: 2)
                file.append(Data(#"{"encounter_id":"ENC-BAD-<1>"}"#.utf8))
                let (status, body) = try await browser.upload("upload", name: "visits.ndjson", data: file, csrf: csrf)
                #expect(status == .ok)
                #expect(body.contains("3 entries: 2 taken in, 0 already taken in, 1 refused"))
                #expect(body.contains("patient: is required"))
                #expect(try await ClaimModel.query(on: app.db).count() == 2)
                #expect(try await WorkflowStateModel.query(on: app.db).count() == 2, "each claim queued")
                let again = try await browser.upload("upload", name: "visits.ndjson", data: file, csrf: csrf)
                #expect(again.1.contains("3 entries: 0 taken in, 2 already taken in, 1 refused"))
                let forged = try await browser.upload("upload", name: "visits.ndjson", data: file, csrf: "forged")
                #expect(forged.0 == .forbidden)
                let unreadable = try await browser.upload(
                    "upload", name: "notes.txt", data: Data("hello".utf8), csrf: csrf)
                #expect(unreadable.0 == .unprocessableEntity)
                #expect(unreadable.1.contains("file: notes.txt cannot be read"))

                let viewer = Browser(app)
                #expect(try await viewer.signIn("viewer@rcm.test") == .seeOther)
                let viewerPage = try await viewer.request(.GET, "upload")
                #expect(viewerPage.status == .forbidden, "the upload is the encounter intake's: operators only")
            }
        }
    }

    @Test func emptyPagesSaySoAndTheCookieIsHttpOnlyAndStrict() async throws {
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            try await Self.withConsole(configuration) { app in
                let browser = Browser(app)
                let page = try await browser.request(.GET, "sign-in")
                var cookie: HTTPCookies.Value?
                try await app.testing().test(.GET, "sign-in") { response in
                    cookie = response.headers.setCookie?[ConsoleSession.cookieName]
                }
                #expect(cookie?.isHTTPOnly == true)
                #expect(cookie?.sameSite == .strict)
                #expect(!page.body.contains("<script"))
                #expect(try await browser.signIn("boss@rcm.test") == .seeOther)
                #expect(try await browser.request(.GET, "/").body.contains("No data for this period."))
                #expect(try await browser.request(.GET, "denials").body.contains("The denial queue is empty."))
                #expect(try await browser.request(.GET, "claims").body.contains("No claims match."))
                #expect(try await browser.request(.GET, "claims/\(UUID())").status == .notFound)
                #expect(try await browser.request(.GET, "payments").body.contains("No unmatched payments."))
                #expect(try await browser.request(.GET, "workflows").body.contains("None."))

                // Idle for longer than RCM_CONSOLE_IDLE_MINUTES (30): the session has ended.
                for record in try await SessionRecord.query(on: app.db).all() where record.data["user"] != nil {
                    record.data["seen"] = String(Int(Date().timeIntervalSince1970) - 31 * 60)
                    try await record.save(on: app.db)
                }
                let idle = try await browser.request(.GET, "claims")
                #expect(idle.status == .seeOther)
                #expect(idle.headers.first(name: .location) == "/sign-in?next=/claims")
                #expect(try await browser.signIn("boss@rcm.test") == .seeOther)

                let css = try await browser.request(.GET, "console.css")
                #expect(css.status == .ok && css.body.contains(".tile"))
                let script = try await browser.request(.GET, "console.js")
                #expect(script.status == .ok && script.headers.contentType?.subType == "javascript")
            }
        }
    }
}
