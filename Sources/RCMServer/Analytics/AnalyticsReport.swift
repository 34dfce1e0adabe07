import Fluent
import Foundation
import RCMCore
import RevenueCycle

/// The analytics the API, `rcm report` and the console serve: ``RCMCore`` KPI formulas over the
/// facts ``ClaimFactsQuery`` reads. Periods are dates of service (facility calendar), inclusive.
public struct AnalyticsReport: Sendable {
    let query: ClaimFactsQuery
    let calendar: BillingCalendar

    public init(database: any Database, calendar: BillingCalendar) {
        query = ClaimFactsQuery(database: database)
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

        var filter: ClaimFactsQuery.Filter { .init(through: to, payer: payer, provider: provider) }
    }

    /// The facility's day.
    public var today: ServiceDate { calendar.today() }

    /// Every ``KPI`` for the period (money KPIs per currency), A/R aged on the facility's day.
    public func kpis(_ period: Period) async throws -> [KPIFigure] {
        RevenueCycleKPIs.figures(try await query.facts(period.filter), from: period.from, to: period.to, today: today)
    }

    /// Open A/R by age on `asOf`, of the claims with a date of service up to that day.
    public func arAging(asOf: ServiceDate, payer: String?, provider: String?) async throws -> [ARAging.Row] {
        ARAging.rows(try await query.facts(.init(through: asOf, payer: payer, provider: provider)), asOf: asOf)
    }

    /// The period's denied and stopped claims, grouped.
    public func denials(_ period: Period, by grouping: DenialBreakdown.Grouping) async throws -> [DenialBreakdown.Group]
    {
        DenialBreakdown.groups(try await periodFacts(period), by: grouping)
    }

    /// Billed, paid and the initial denial rate per interval of the period.
    public func trend(_ period: Period, interval: KPITrend.Interval) async throws -> [KPITrend.Point] {
        KPITrend.points(try await periodFacts(period), from: period.from, to: period.to, interval: interval)
    }

    /// Billed and paid per payer over the period.
    public func payerMix(_ period: Period) async throws -> [PayerMix.Row] {
        PayerMix.rows(try await periodFacts(period))
    }

    /// Everything the console's dashboard shows, from one read of the claims' facts.
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
        let today = today
        let facts = try await query.facts(
            .init(through: max(period.to, today), payer: period.payer, provider: period.provider))
        let upToEnd = facts.filter { $0.dateOfService <= period.to }
        let inPeriod = upToEnd.filter { $0.dateOfService >= period.from }
        return Dashboard(
            figures: RevenueCycleKPIs.figures(upToEnd, from: period.from, to: period.to, today: today),
            aging: ARAging.rows(facts, asOf: today),
            trend: KPITrend.points(inPeriod, from: period.from, to: period.to, interval: .week),
            byCategory: DenialBreakdown.groups(inPeriod, by: .category),
            byPayer: DenialBreakdown.groups(inPeriod, by: .payer), mix: PayerMix.rows(inPeriod))
    }

    private func periodFacts(_ period: Period) async throws -> [ClaimFacts] {
        try await query.facts(period.filter).filter { $0.dateOfService >= period.from }
    }
}

/// An analytics request's parameter is not valid: its name and what is wrong, for a 400 or an
/// operator's message.
public struct AnalyticsInputError: Error, Equatable, CustomStringConvertible {
    public let field: String
    public let message: String

    public var description: String { "\(field): \(message)" }
}
