import Fluent
import Foundation
import RCMCore
import RevenueCycle
import Vapor

/// The analytics the API, `rcm report` and the console serve: ``RCMCore`` KPI formulas over the
/// sums ``AnalyticsSummary`` keeps, brought up to date before every read. Periods are dates of
/// service (facility calendar), inclusive.
public struct AnalyticsReport: Sendable {
    let summary: AnalyticsSummary
    let calendar: BillingCalendar
    /// The most pending changes a read sums itself before answering (``AnalyticsSummaryBehind``
    /// beyond); `nil`: any number.
    let inlineRefreshLimit: Int?

    /// The pending changes a read of the server sums itself by default: about 1,800 claims (each
    /// claim's intake and decision mark it some 5 times), a second or two.
    public static let defaultInlineRefreshLimit = 10_000

    public init(
        database: any Database, calendar: BillingCalendar, inlineRefreshLimit: Int? = defaultInlineRefreshLimit
    ) {
        summary = AnalyticsSummary(database: database)
        self.calendar = calendar
        self.inlineRefreshLimit = inlineRefreshLimit
    }

    /// The same report, summing any number of pending changes before a read (`rcm report`: the
    /// shell is where an operator sums a large history at once).
    public func withoutRefreshLimit() -> AnalyticsReport {
        AnalyticsReport(database: summary.database, calendar: calendar, inlineRefreshLimit: nil)
    }

    /// Sums pending changes every `intervalSeconds` until cancelled, so that reads find little
    /// to sum (`rcm serve` runs it; after an upgrade or a bulk load it sums the history). Errors
    /// are logged and the loop goes on.
    public func keepSummed(intervalSeconds: Double = 2, logger: Logger) async {
        while !Task.isCancelled {
            do {
                let taken = try await summary.refresh()
                if taken >= AnalyticsSummary.batchSize {
                    logger.info("analytics summary: summed \(taken) pending changes")
                }
            } catch {
                logger.warning("analytics summary: refresh failed: \(String(describing: error).prefix(300))")
            }
            try? await Task.sleep(for: .milliseconds(Int(intervalSeconds * 1000)))
        }
    }

    /// Brings the summary up to date before a read (nothing to do, the common case, costs one
    /// bounded count).
    /// - Throws: ``AnalyticsSummaryBehind`` when more than ``inlineRefreshLimit`` changes are
    ///   pending; the database's error.
    private func refresh() async throws {
        let pending = try await summary.pendingCount(upTo: (inlineRefreshLimit ?? 0) + 1)
        if let inlineRefreshLimit, pending > inlineRefreshLimit { throw AnalyticsSummaryBehind(pending: pending) }
        if pending > 0 { try await summary.refresh() }
    }

    /// Which claims a figure counts: dates of service from `from` to `to` (inclusive), of one payer
    /// and one provider if given.
    public struct Period: Sendable, Hashable {
        public var from: ServiceDate
        public var to: ServiceDate
        public var payer: String?
        public var provider: String?

        /// The longest period asked for at once, in days (ten years).
        public static let maximumDays = 3660
        /// Without `from`, a period starts this many days before its end (90 days in all).
        public static let defaultDays = 90

        /// Reads a period as given (`YYYY-MM-DD` texts), `to` defaulting to `today` and `from` to
        /// ``defaultDays`` days up to `to`.
        /// - Throws: ``AnalyticsInputError`` naming the field (`from`, `to`) for a date that is not
        ///   `YYYY-MM-DD`, a `from` after `to`, or more than ``maximumDays`` days.
        public static func read(from: String?, to: String?, payer: String?, provider: String?, today: ServiceDate)
            throws -> Period
        {
            func day(_ text: String?, _ field: String) throws -> ServiceDate? {
                guard let text else { return nil }
                do { return try ServiceDate(day: text) } catch {
                    throw AnalyticsInputError(field: field, message: "'\(text.prefix(40))' is not a date YYYY-MM-DD")
                }
            }
            let end = try day(to, "to") ?? today
            let start = try day(from, "from") ?? end.adding(days: 1 - defaultDays)
            guard start <= end else {
                throw AnalyticsInputError(field: "from", message: "\(start) is after to (\(end))")
            }
            guard ServiceDate.days(from: start, to: end) < maximumDays else {
                throw AnalyticsInputError(field: "from", message: "the period is longer than \(maximumDays) days")
            }
            func text(_ value: String?) -> String? { value?.isEmpty == false ? value : nil }
            return Period(from: start, to: end, payer: text(payer), provider: text(provider))
        }
    }

    /// The facility's day.
    public var today: ServiceDate { calendar.today() }

    /// Every ``KPI`` for the period (money KPIs per currency), A/R aged on the facility's day.
    public func kpis(_ period: Period) async throws -> [KPIFigure] {
        try await refresh()
        return try await figures(period, today: today)
    }

    /// Open A/R by age on `asOf`, of the claims with a date of service up to that day.
    public func arAging(asOf: ServiceDate, payer: String?, provider: String?) async throws -> [ARAging.Row] {
        try await refresh()
        return try await summary.openAR(through: asOf, asOf: asOf, payer: payer, provider: provider)
    }

    /// The period's denied and stopped claims, grouped.
    public func denials(_ period: Period, by grouping: DenialBreakdown.Grouping) async throws -> [DenialBreakdown.Group]
    {
        try await refresh()
        return DenialBreakdown.groups(try await denialEntries(period), by: grouping)
    }

    /// Billed, paid and the initial denial rate per interval of the period.
    public func trend(_ period: Period, interval: KPITrend.Interval) async throws -> [KPITrend.Point] {
        try await refresh()
        return KPITrend.points(
            try await totals(period, split: .day), from: period.from, to: period.to, interval: interval)
    }

    /// Billed and paid per payer over the period.
    public func payerMix(_ period: Period) async throws -> [PayerMix.Row] {
        try await refresh()
        return PayerMix.rows(try await totals(period, split: .payer))
    }

    /// Everything the console's dashboard shows.
    public struct Dashboard: Sendable {
        public let figures: [KPIFigure]
        public let aging: [ARAging.Row]
        public let trend: [KPITrend.Point]
        public let byCategory: [DenialBreakdown.Group]
        public let byPayer: [DenialBreakdown.Group]
        public let mix: [PayerMix.Row]
    }

    /// The KPIs, A/R aging (on the facility's day), weekly trend, denials by category and by payer,
    /// and payer mix of the period.
    public func dashboard(_ period: Period) async throws -> Dashboard {
        try await refresh()
        let today = today
        let totals = try await totals(period, split: .currency)
        let openAR = try await summary.openAR(
            through: period.to, asOf: today, payer: period.payer, provider: period.provider)
        let entries = try await denialEntries(period)
        return Dashboard(
            figures: RevenueCycleKPIs.figures(period: totals, openAR: openAR, from: period.from, to: period.to),
            aging: period.to == today
                ? openAR
                : try await summary.openAR(through: today, asOf: today, payer: period.payer, provider: period.provider),
            trend: KPITrend.points(
                try await self.totals(period, split: .day), from: period.from, to: period.to, interval: .week),
            byCategory: DenialBreakdown.groups(entries, by: .category),
            byPayer: DenialBreakdown.groups(entries, by: .payer),
            mix: PayerMix.rows(try await self.totals(period, split: .payer)))
    }

    private func figures(_ period: Period, today: ServiceDate) async throws -> [KPIFigure] {
        RevenueCycleKPIs.figures(
            period: try await totals(period, split: .currency),
            openAR: try await summary.openAR(
                through: period.to, asOf: today, payer: period.payer, provider: period.provider),
            from: period.from, to: period.to)
    }

    private func totals(_ period: Period, split: AnalyticsSummary.Split) async throws -> [KPIDayTotals] {
        try await summary.periodTotals(
            from: period.from, to: period.to, payer: period.payer, provider: period.provider, split: split)
    }

    private func denialEntries(_ period: Period) async throws -> [DenialBreakdown.Entry] {
        try await summary.denialEntries(
            from: period.from, to: period.to, payer: period.payer, provider: period.provider)
    }
}

/// The analytics summary has more changes to sum than a read sums itself (after an upgrade to
/// migration `0013` or a bulk load, while `rcm serve` sums the history): a 503 with `Retry-After`.
public struct AnalyticsSummaryBehind: AbortError {
    /// Pending changes counted (at least).
    public let pending: Int

    public var status: HTTPResponseStatus { .serviceUnavailable }
    public var reason: String {
        "the analytics summary is being brought up to date (more than \(pending - 1) changes to sum): try again shortly"
    }
    public var headers: HTTPHeaders { ["Retry-After": "10"] }
}

/// An analytics request's parameter is not valid: its name and what is wrong, for a 400 or an
/// operator's message.
public struct AnalyticsInputError: Error, Equatable, CustomStringConvertible {
    public let field: String
    public let message: String

    public var description: String { "\(field): \(message)" }
}
