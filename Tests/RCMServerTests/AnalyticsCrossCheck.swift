import Fluent
import Foundation
import RCMCore
import RevenueCycle
import SQLKit
import Testing
import Vapor

@testable import RCMServer

/// Every KPI's numerator and denominator over a processed batch, against SQL written here from the
/// definitions in docs/billing.md — not the production query (``ClaimFactsQuery`` reads facts; these
/// aggregate in the database).
enum AnalyticsCrossCheck {
    /// Checks November 2026 (the batch's dates of service), A/R aged on 2027-02-15 (claims of
    /// 2026-11-16 and before are more than 90 days old then).
    /// The report the checks read: November 2026, aged on 2027-02-15.
    static func november(_ app: Application) throws -> (AnalyticsReport, AnalyticsReport.Period, ServiceDate) {
        let today = try ServiceDate(day: "2027-02-15")
        let period = try AnalyticsReport.Period.read(
            from: "2026-11-01", to: "2026-11-30", payer: nil, provider: nil, today: today)
        return (AnalyticsReport(database: app.db, calendar: BillingCalendar(fixedDay: today)), period, today)
    }

    static func check(_ app: Application) async throws {
        let sql = try #require(app.db as? any SQLDatabase)
        let (report, period, _) = try november(app)
        let figures = try await report.kpis(period)

        let inPeriod =
            "c.use = 'claim' AND c.date_of_service >= '2026-11-01' AND c.date_of_service <= '2026-11-30'"
        let original =
            "c.id NOT IN (SELECT d.replacement_claim_id FROM denial_actions d WHERE d.replacement_claim_id IS NOT NULL)"
        let submitted = """
            EXISTS (SELECT 1 FROM workflow_steps s WHERE s.workflow_id = lower('claim-' || c.id) AND s.name = 'submit'
              AND s.status = 'COMPLETED')
            """
        let billedClaim = """
            \(submitted) AND c.id NOT IN (SELECT d.claim_id FROM denial_actions d WHERE d.action = 'correct_and_resubmit')
            """
        let adjudicated = "c.outcome IN ('approved', 'partially_approved', 'denied', 'paid', 'partially_paid')"
        let contractualLine = """
            l.approved_minor > 0 AND l.approved_minor < l.net_minor AND l.adjudication_reasons IN ('["45"]', '["253"]',
              '["over-line-limit"]', '["over-claim-limit"]', '["sum-insured-exhausted"]')
            """
        let reduction = """
            CASE WHEN \(adjudicated) THEN COALESCE((SELECT SUM(l.net_minor - l.approved_minor) FROM claim_lines l
              WHERE l.claim_id = c.id AND \(contractualLine)), 0) ELSE 0 END
            """
        let paid = "COALESCE((SELECT SUM(p.amount_minor) FROM payments p WHERE p.claim_id = c.id), 0)"
        let writtenOff =
            "COALESCE((SELECT SUM(d.amount_minor) FROM denial_actions d WHERE d.claim_id = c.id AND d.action = 'write_off'), 0)"
        let open = "c.billed_total_minor - (\(reduction)) - \(paid) - \(writtenOff)"

        func number(_ expression: String, _ condition: String) async throws -> Decimal {
            let row = try await sql.raw(
                "SELECT CAST(COALESCE(\(unsafeRaw: expression), 0) AS BIGINT) AS n FROM claims c WHERE \(unsafeRaw: condition)"
            ).first()
            return Decimal(try #require(row).decode(column: "n", as: Int64.self))
        }
        func count(_ condition: String) async throws -> Decimal { try await number("COUNT(*)", condition) }
        /// Minor units (INR, 2 places) as major units.
        func money(_ expression: String, _ condition: String) async throws -> Decimal {
            try await number("SUM(\(expression))", condition) / 100
        }
        func expect(_ kpi: KPI, _ numerator: Decimal, _ denominator: Decimal) throws {
            let figure = try #require(figures.first { $0.kpi == kpi })
            #expect(figure.numerator == numerator, "\(kpi) numerator: \(figure.numerator) ≠ \(numerator)")
            #expect(figure.denominator == denominator, "\(kpi) denominator: \(figure.denominator) ≠ \(denominator)")
        }

        #expect(Set(figures.compactMap(\.currency)) == [.inr])
        try expect(
            .cleanClaimRate, try await count("\(inPeriod) AND \(original) AND \(submitted)"),
            try await count("\(inPeriod) AND \(original) AND (\(submitted) OR c.outcome = 'rejected')"))
        let adjudicatedCount = try await count("\(inPeriod) AND \(original) AND \(adjudicated)")
        try expect(
            .firstPassResolutionRate,
            try await count("\(inPeriod) AND \(original) AND \(adjudicated) AND c.outcome <> 'denied'"),
            adjudicatedCount)
        let deniedCount = try await count("\(inPeriod) AND \(original) AND c.outcome = 'denied'")
        #expect(deniedCount > 0)
        try expect(.initialDenialRate, deniedCount, adjudicatedCount)
        try expect(
            .initialDenialRateByAmount,
            try await money("c.billed_total_minor", "\(inPeriod) AND \(original) AND c.outcome = 'denied'"),
            try await money("c.billed_total_minor", "\(inPeriod) AND \(original) AND \(adjudicated)"))
        let billed = try await money("c.billed_total_minor", "\(inPeriod) AND \(billedClaim)")
        let paidTotal = try await money(paid, "\(inPeriod) AND \(billedClaim)")
        let allowed = try await money("c.billed_total_minor - (\(reduction))", "\(inPeriod) AND \(billedClaim)")
        try expect(.grossCollectionRate, paidTotal, billed)
        try expect(.netCollectionRate, paidTotal, allowed)
        let openAR = try await money(
            "CASE WHEN \(open) > 0 THEN \(open) ELSE 0 END",
            "c.use = 'claim' AND c.date_of_service <= '2026-11-30' AND \(billedClaim)")
        #expect(openAR > 0, "the co-pays of the batch stay open")
        try expect(.daysInAR, openAR * 30, billed)
        try expect(
            .arOver90DaysShare,
            try await money(
                "CASE WHEN \(open) > 0 THEN \(open) ELSE 0 END",
                "c.use = 'claim' AND c.date_of_service <= '2026-11-16' AND \(billedClaim)"), openAR)
        try expect(.denialWriteOffShare, try await money(writtenOff, inPeriod), allowed)
        try expect(
            .appealOverturnRate,
            try await count(
                "\(inPeriod) AND EXISTS (SELECT 1 FROM denial_actions d JOIN payments p ON p.claim_id = d.claim_id "
                    + "WHERE d.claim_id = c.id AND d.action = 'appeal' AND p.amount_minor > 0)"),
            try await count(
                "\(inPeriod) AND EXISTS (SELECT 1 FROM denial_actions d WHERE d.claim_id = c.id AND d.action = 'appeal')"
            ))

        // Days: the events' instants read here, counted in days on the facility's calendar.
        let zone = BillingCalendar.facilityTimeZone
        func days(_ query: String) async throws -> (Decimal, Decimal) {
            var total = 0
            var count = 0
            for row in try await sql.raw("\(unsafeRaw: query)").all() {
                let start = try ServiceDate(day: try row.decode(column: "dos", as: String.self))
                let end: ServiceDate
                if let text = try? row.decode(column: "event", as: String.self), let day = try? ServiceDate(day: text) {
                    end = day
                } else {
                    end = ServiceDate(try row.decode(column: "event", as: Date.self), in: zone)
                }
                total += ServiceDate.days(from: start, to: end)
                count += 1
            }
            return (Decimal(total), Decimal(count))
        }
        let steps = { (step: String, extra: String) in
            """
            SELECT c.date_of_service AS dos, s.finished_at AS event FROM claims c JOIN workflow_steps s
              ON s.workflow_id = lower('claim-' || c.id) AND s.name = '\(step)' AND s.status = 'COMPLETED'
            WHERE \(inPeriod) \(extra)
            """
        }
        let (submission, submissions) = try await days(steps("submit", ""))
        try expect(.daysToSubmission, submission, submissions)
        let (decision, decisions) = try await days(steps("adjudication", "AND \(adjudicated)"))
        try expect(.daysToAdjudication, decision, decisions)
        let (payment, payments) = try await days(
            """
            SELECT c.date_of_service AS dos, MIN(p.payment_date) AS event FROM claims c JOIN payments p
              ON p.claim_id = c.id AND p.amount_minor > 0 WHERE \(inPeriod) GROUP BY c.id, c.date_of_service
            """)
        #expect(payments > 0)
        try expect(.daysToPayment, payment, payments)
    }

    /// Payments posted to a dozen claims at once, two each, while KPIs are read at the same time:
    /// afterwards the summary's figures equal the figures over every claim's facts read afresh —
    /// nothing lost, nothing counted twice.
    static func summaryStaysExactUnderConcurrentPayments(_ app: Application) async throws {
        let sql = try #require(app.db as? any SQLDatabase)
        let (report, period, today) = try november(app)
        let before = try await report.kpis(period)
        let claims = try await sql.raw("SELECT id FROM claims WHERE outcome = 'paid' ORDER BY id LIMIT 12").all().map {
            try $0.decode(column: "id", as: UUID.self)
        }
        #expect(claims.count == 12)
        let (_, _, poster) = PaymentPostingTests.posting(on: app)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, claim) in claims.enumerated() {
                for part in 0..<2 {
                    group.addTask {
                        _ = try await poster.process(
                            try PaymentPostingTests.notice(
                                "EXTRA-\(index)-\(part)", amount: 1, workflowID: claim.uuidString.lowercased()))
                    }
                }
                group.addTask { _ = try await report.kpis(period) }
            }
            try await group.waitForAll()
        }
        let after = try await report.kpis(period)
        let all = try await sql.raw("SELECT id FROM claims").all().map { try $0.decode(column: "id", as: UUID.self) }
        let facts = try await ClaimFactsQuery(database: app.db).facts(ids: all)
        #expect(after == RevenueCycleKPIs.figures(facts, from: period.from, to: period.to, today: today))
        let paid = { (figures: [KPIFigure]) in figures.first { $0.kpi == .grossCollectionRate }?.numerator }
        #expect(paid(after).map { $0 - 24 } == paid(before), "24 payments of INR 1.00 each")
    }
}
