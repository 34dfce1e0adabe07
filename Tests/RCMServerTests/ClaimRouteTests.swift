import Foundation
import HCXSandbox
import RevenueCycle
import Testing
import Vapor
import VaporTesting

@testable import RCMServer
@testable import rcm

/// `GET /api/v1/claims` and `GET /api/v1/claims/{id}` after a real run of the sample encounters,
/// and `rcm claims list|show`.
@Suite(.serialized) struct ClaimRouteTests {
    /// Runs the sample encounters (as `rcm process`), then serves the API on the same database (as `rcm serve`).
    static func afterTheSampleRun(_ body: (Application, HTTPHeaders, RCMConfiguration) async throws -> Void)
        async throws
    {
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                try await SchemaMigrations.migrateEmbeddedDatabase(app, configuration)
                let data = try Data(contentsOf: Samples.own("encounters-clinic-week.json"))
                _ = try await ClaimRuntime.run(app: app, configuration: configuration, sandboxRules: .default) {
                    try await $0.services.processor.process(
                        [ClaimInput(name: "encounters-clinic-week.json", data: data)],
                        waitSeconds: configuration.adjudicationTimeoutSeconds)
                }
            }
            try await TestDatabase.withApp(configuration) { app in
                let services = try ClaimServices(
                    app: app, configuration: configuration,
                    hcx: try GatewayConnection.connectionOrUnconfigured(configuration, app: app), codeSets: false)
                try configureWorkflowRoutes(app, services: services)
                try await body(app, try await TestSecurity.headers(app, .readOnly), configuration)
            }
        }
    }

    static func get<T: Decodable>(_ app: Application, _ path: String, _ headers: HTTPHeaders, as: T.Type) async throws
        -> T
    {
        var result: T?
        try await app.testing().test(.GET, path, headers: headers) { response async throws in
            #expect(response.status == .ok, "\(path): \(response.body.string)")
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            result = try decoder.decode(T.self, from: Data(buffer: response.body))
        }
        return try require(result)
    }

    @Test func claimsAreListedFilteredPagedAndShownWithTheirWholeStory() async throws {
        try await Self.afterTheSampleRun { app, headers, configuration in
            // Pages of two, then the last one; every claim once.
            var ids: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let page = try await Self.get(
                    app, "api/v1/claims?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), headers,
                    as: ClaimPageDTO.self)
                ids += page.claims.map(\.id)
                cursor = page.nextCursor
                pages += 1
            } while cursor != nil
            #expect(pages == 3)
            #expect(ids.count == 5)
            #expect(Set(ids).count == 5)

            let denied = try await Self.get(app, "api/v1/claims?outcome=denied", headers, as: ClaimPageDTO.self)
            #expect(denied.claims.map(\.identifier) == ["ENC-2026-000204"])
            let paid = try await Self.get(
                app, "api/v1/claims?outcome=paid,partially_paid&min_billed=10000", headers, as: ClaimPageDTO.self)
            #expect(Set(paid.claims.map(\.identifier)) == ["ENC-2026-000202", "ENC-2026-000203"])
            let dated = try await Self.get(
                app, "api/v1/claims?from=2026-11-14&to=2026-11-14", headers, as: ClaimPageDTO.self)
            #expect(Set(dated.claims.map(\.identifier)) == ["ENC-2026-000203", "ENC-2026-000204"])

            for (query, message) in [
                ("outcome=lost", "outcome: 'lost' is not one of"),
                ("from=2026-13-01", "from: '2026-13-01' is not a date"),
                ("from=2026-11-15&to=2026-11-14", "to: 2026-11-14 is before from 2026-11-15"),
                ("min_billed=ten", "min_billed: 'ten' is not a non-negative decimal"),
                ("min_billed=10.001", "min_billed: INR 10.001 has more decimal places"),
                ("cursor=bogus", "cursor: not a cursor this API gave out (use nextCursor"),
                ("min_billed=10&max_billed=5", "max_billed: 5 is below min_billed 10"),
            ] {
                try await app.testing().test(.GET, "api/v1/claims?\(query)", headers: headers) {
                    response async throws in
                    #expect(response.status == .badRequest, "\(query)")
                    #expect(response.body.string.contains(message), "\(query): \(response.body.string)")
                }
            }

            // One claim, whole: the capped appendectomy encounter.
            let summary = try #require(paid.claims.first { $0.identifier == "ENC-2026-000203" })
            let detail = try await Self.get(app, "api/v1/claims/\(summary.id)", headers, as: ClaimDetailDTO.self)
            #expect(detail.claim.outcome == "partially_paid")
            #expect(detail.lines.map(\.code) == ["IP-ROOM-TWIN", "SURG-LAP-APPY", "ANES-GA"])
            #expect(detail.lines.map(\.net) == ["9000.00", "120000.00", "25000.00"])
            #expect(detail.lines.map(\.approved) == ["2700.00", "108000.00", "22500.00"])
            #expect(detail.lines[0].reasons.contains("over-line-limit"))
            #expect(detail.paid == "133200.00")
            #expect(detail.payments.count == 1)
            #expect(detail.eligibility.map(\.inForce) == [true])
            #expect(detail.denial == nil)
            #expect(detail.workflow?.status == "COMPLETED")
            #expect(detail.workflow?.steps?.map(\.name).first == "intake")

            let lapsed = try await Self.get(
                app, "api/v1/claims?outcome=rejected", headers, as: ClaimPageDTO.self)
            let rejected = try await Self.get(
                app, "api/v1/claims/\(lapsed.claims[0].id)", headers, as: ClaimDetailDTO.self)
            #expect(rejected.denial?.category == "eligibility")
            #expect(rejected.findings.contains { $0.field == "Claim.insurance[0].coverage" })

            try await app.testing().test(.GET, "api/v1/claims/\(UUID())", headers: headers) { response async throws in
                #expect(response.status == .notFound)
            }
            try await app.testing().test(.GET, "api/v1/claims/not-a-uuid", headers: headers) { response async throws in
                #expect(response.status == .notFound)
            }

            // The same from the command line.
            let environment = ["DATABASE_URL": try #require(CommandLineTests.databaseURL(configuration))]
            let listed = try await CommandLineTests.run(
                ["claims", "list", "--outcome", "denied"], environment: environment)
            #expect(listed.status == 0)
            #expect(
                listed.stdout.contains("ENC-2026-000204  2026-11-14  denied  billed INR 1426.50  approved INR 0.00"))
            let shown = try await CommandLineTests.run(["claims", "show", summary.id], environment: environment)
            #expect(shown.status == 0)
            #expect(shown.stdout.contains("\"paid\" : \"133200.00\""))
            let bad = try await CommandLineTests.run(["claims", "list", "--to", "yesterday"], environment: environment)
            #expect(bad.status != 0)
            #expect(bad.stderr.contains("to: 'yesterday' is not a date YYYY-MM-DD"))
        }
    }
}
