import Foundation
import RCMCore
import RevenueCycle
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import RCMServer

/// `/api/v1/analytics/*` and `rcm report kpis` after a real run of the sample encounters.
@Suite(.serialized) struct AnalyticsRouteTests {
    @Test func theAnalyticsAreServedAsJSONAndCSVToTheRolesAllowedAndRefuseBadParameters() async throws {
        try await ClaimRouteTests.afterTheSampleRun { app, readOnly, _ in
            let year = "from=2026-01-01&to=2026-12-31"
            let report = try await ClaimRouteTests.get(
                app, "api/v1/analytics/kpis?\(year)", readOnly, as: KPIReportDTO.self)
            #expect(report.countsBy == "date_of_service")
            #expect(report.kpis.map(\.kpi) == KPI.allCases.map(\.rawValue), "one currency (INR): one figure per KPI")
            let clean = try #require(report.kpis.first { $0.kpi == "clean_claim_rate" })
            // Five encounters: four submitted, one stopped by eligibility (lapsed policy).
            #expect((clean.numerator, clean.denominator, clean.value) == ("4", "5", "80.00"))
            #expect(report.kpis.filter { $0.currency != nil }.allSatisfy { $0.currency == "INR" })
            #expect(report.kpis.allSatisfy { !$0.definition.isEmpty })

            // CSV when asked for; the same figures.
            var csvHeaders = readOnly
            csvHeaders.replaceOrAdd(name: .accept, value: "text/csv")
            try await app.testing().test(.GET, "api/v1/analytics/kpis?\(year)", headers: csvHeaders) { response in
                #expect(response.status == .ok)
                #expect(response.headers.contentType?.subType == "csv")
                let rows = try CSVTable.rows(response.body.string)
                #expect(
                    rows.first == [
                        "kpi", "title", "currency", "value", "numerator", "denominator", "unit", "definition",
                    ])
                #expect(rows.count == 1 + report.kpis.count)
                #expect(rows[1].prefix(6) == ["clean_claim_rate", "Clean claim rate", "", "80.00", "4", "5"])
            }

            let aging = try await ClaimRouteTests.get(
                app, "api/v1/analytics/ar-aging?as_of=2026-12-31", readOnly, as: [ARAgingDTO].self)
            #expect(aging.map(\.bucket) == ARAging.Bucket.allCases.map(\.rawValue))
            let denials = try await ClaimRouteTests.get(
                app, "api/v1/analytics/denials?group_by=category&\(year)", readOnly, as: [DenialGroupDTO].self)
            #expect(denials.map(\.key).contains("eligibility"))
            let trend = try await ClaimRouteTests.get(
                app, "api/v1/analytics/trend?interval=month&\(year)", readOnly, as: [TrendPointDTO].self)
            #expect(trend.count == 12)
            let mix = try await ClaimRouteTests.get(
                app, "api/v1/analytics/payer-mix?\(year)", readOnly, as: [PayerMixDTO].self)
            #expect(mix.map(\.billedShare) == ["100.00"])

            // Bad parameters: 400 naming the field.
            for (query, field) in [
                ("from=2026-13-01", "query.from"), ("from=2026-12-31&to=2026-01-01", "query.from"),
                ("from=2000-01-01&to=2026-12-31", "query.from"), ("to=yesterday", "query.to"),
            ] {
                try await app.testing().test(.GET, "api/v1/analytics/kpis?\(query)", headers: readOnly) { response in
                    #expect(response.status == .badRequest, "\(query)")
                    let problem = try JSONDecoder().decode(ProblemDetails.self, from: Data(response.body.string.utf8))
                    #expect(problem.errors?.map(\.field) == [field], "\(query)")
                }
            }
            for path in ["denials?group_by=doctor", "trend?interval=day", "ar-aging?as_of=soon"] {
                try await app.testing().test(.GET, "api/v1/analytics/\(path)", headers: readOnly) { response in
                    #expect(response.status == .badRequest, "\(path): \(response.body.string)")
                }
            }

            // The analyst reads analytics, nothing patient-level.
            let analyst = try await TestSecurity.headers(app, .analyst)
            try await app.testing().test(.GET, "api/v1/analytics/kpis?\(year)", headers: analyst) { response in
                #expect(response.status == .ok)
            }
            for path in ["api/v1/claims", "api/v1/denials", "api/v1/workflows"] {
                try await app.testing().test(.GET, path, headers: analyst) { response in
                    #expect(response.status == .forbidden, "\(path)")
                }
            }
            try await app.testing().test(.GET, "api/v1/analytics/kpis") { response in
                #expect(response.status == .unauthorized)
            }

            // More changes pending than a read sums itself (a bulk load): 503 with Retry-After until
            // they are summed (here by `rcm report`'s report; in `rcm serve`, in the background).
            try await (app.db as! any SQLDatabase).raw(
                """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(unsafeRaw: String(AnalyticsReport.defaultInlineRefreshLimit + 1)))
                INSERT INTO analytics_pending (claim_key) SELECT 'bulk-' || i FROM n
                """
            ).run()
            try await app.testing().test(.GET, "api/v1/analytics/kpis?\(year)", headers: readOnly) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers.first(name: "Retry-After") == "10")
                #expect(response.body.string.contains("the analytics summary is being brought up to date"))
            }
            let period = try AnalyticsReport.Period.read(
                from: "2026-01-01", to: "2026-12-31", payer: nil, provider: nil, today: BillingCalendar().today())
            let summed = try await AnalyticsReport(database: app.db, calendar: BillingCalendar())
                .withoutRefreshLimit().kpis(period)
            let served = try await ClaimRouteTests.get(
                app, "api/v1/analytics/kpis?\(year)", readOnly, as: KPIReportDTO.self)
            #expect(served.kpis.map(\.numerator) == summed.map(\.numeratorText))
            #expect(
                served.kpis.map(\.value) == report.kpis.map(\.value), "the same figures as before the bulk marks")
        }
    }

    @Test func rcmReportKPIsPrintsATableJSONOrCSVAndRefusesABadPeriod() async throws {
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            let environment = ["DATABASE_URL": try #require(CommandLineTests.databaseURL(configuration))]
            #expect(try await CommandLineTests.run(["migrate", "--yes"], environment: environment).status == 0)
            let table = try await CommandLineTests.run(
                ["report", "kpis", "--from", "2026-01-01", "--to", "2026-01-31"], environment: environment)
            #expect(table.status == 0, "\(table.stderr)")
            #expect(table.stdout.hasPrefix("Claims with a date of service from 2026-01-01 to 2026-01-31"))
            #expect(table.stdout.contains("Clean claim rate"))
            let json = try await CommandLineTests.run(["report", "kpis", "--json"], environment: environment)
            let report = try JSONDecoder().decode(KPIReportDTO.self, from: Data(json.stdout.utf8))
            #expect(report.kpis.count == KPI.allCases.count)
            #expect(report.kpis.allSatisfy { $0.value == nil }, "an empty database has no values")
            let csv = try await CommandLineTests.run(["report", "kpis", "--csv"], environment: environment)
            #expect(csv.stdout.hasPrefix("kpi,title,currency,value,numerator,denominator,unit,definition\r\n"))
            let bad = try await CommandLineTests.run(
                ["report", "kpis", "--from", "2026-02-01", "--to", "2026-01-01"], environment: environment)
            #expect(bad.status != 0)
            #expect(bad.stderr.contains("--from: 2026-02-01 is after to (2026-01-01)"))
        }
    }
}
