import Fluent
import Foundation
import RCMCore
import RevenueCycle

/// The analytics the API, `rcm report` and the console serve: ``RCMCore`` KPI formulas over the
/// sums ``AnalyticsSummary`` keeps, brought up to date before every read. Periods are dates of
/// service (facility calendar), inclusive.
public struct AnalyticsReport: Sendable {
    let summary: AnalyticsSummary
    let calendar: BillingCalendar

    public init(database: any Database, calendar: BillingCalendar) {
        summary = AnalyticsSummary(database: database)
        self.calendar = calendar
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
        try await summary.refresh()
        return try await figures(period, today: today)
    }

    /// Open A/R by age on `asOf`, of the claims with a date of service up to that day.
    public func arAging(asOf: ServiceDate, payer: String?, provider: String?) async throws -> [ARAging.Row] {
        try await summary.refresh()
        return try await summary.openAR(through: asOf, asOf: asOf, payer: payer, provider: provider)
    }

    /// The period's denied and stopped claims, grouped.
    public func denials(_ period: Period, by grouping: DenialBreakdown.Grouping) async throws -> [DenialBreakdown.Group]
    {
        try await summary.refresh()
        return DenialBreakdown.groups(try await denialEntries(period), by: grouping)
    }

    /// Billed, paid and the initial denial rate per interval of the period.
    public func trend(_ period: Period, interval: KPITrend.Interval) async throws -> [KPITrend.Point] {
        try await summary.refresh()
        return KPITrend.points(try await totals(period), from: period.from, to: period.to, interval: interval)
    }

    /// Billed and paid per payer over the period.
    public func payerMix(_ period: Period) async throws -> [PayerMix.Row] {
        try await summary.refresh()
        return PayerMix.rows(try await totals(period))
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
        try await summary.refresh()
        let today = today
        let totals = try await totals(period)
        let openAR = try await summary.openAR(
            through: period.to, asOf: today, payer: period.payer, provider: period.provider)
        let entries = try await denialEntries(period)
        return Dashboard(
            figures: RevenueCycleKPIs.figures(period: totals, openAR: openAR, from: period.from, to: period.to),
            aging: period.to == today
                ? openAR
                : try await summary.openAR(through: today, asOf: today, payer: period.payer, provider: period.provider),
            trend: KPITrend.points(totals, from: period.from, to: period.to, interval: .week),
            byCategory: DenialBreakdown.groups(entries, by: .category),
            byPayer: DenialBreakdown.groups(entries, by: .payer), mix: PayerMix.rows(totals))
    }

    private func figures(_ period: Period, today: ServiceDate) async throws -> [KPIFigure] {
        RevenueCycleKPIs.figures(
            period: try await totals(period),
            openAR: try await summary.openAR(
                through: period.to, asOf: today, payer: period.payer, provider: period.provider),
            from: period.from, to: period.to)
    }

    private func totals(_ period: Period) async throws -> [KPIDayTotals] {
        try await summary.periodTotals(from: period.from, to: period.to, payer: period.payer, provider: period.provider)
    }

    private func denialEntries(_ period: Period) async throws -> [DenialBreakdown.Entry] {
        try await summary.denialEntries(
            from: period.from, to: period.to, payer: period.payer, provider: period.provider)
    }
}

/// An analytics request's parameter is not valid: its name and what is wrong, for a 400 or an
/// operator's message.
public struct AnalyticsInputError: Error, Equatable, CustomStringConvertible {
    public let field: String
    public let message: String

    public var description: String { "\(field): \(message)" }
}
