import Foundation

/// Billed, paid and the initial denial rate per week or month of date of service.
public enum KPITrend {
    public enum Interval: String, CaseIterable, Sendable, Codable {
        /// ISO weeks, Monday to Sunday.
        case week
        /// Calendar months.
        case month
    }

    /// One interval in one currency.
    public struct Point: Sendable, Hashable, Codable {
        /// The interval's first day (a Monday, or the 1st).
        public let start: ServiceDate
        /// Over the billed claims (see ``KPI``) with a date of service in the interval.
        public let billed: Money
        public let paid: Money
        /// ``KPI/initialDenialRate`` over the interval's claims.
        public let initialDenialRate: KPIFigure
    }

    /// The first day of the interval holding `day`.
    public static func start(of day: ServiceDate, _ interval: Interval) -> ServiceDate {
        switch interval {
        case .month: return (try? ServiceDate(year: day.year, month: day.month, day: 1)) ?? day
        case .week:
            // 1970-01-01 was a Thursday: days back to Monday, 0 on a Monday.
            let back = ((day.epochDay + 3) % 7 + 7) % 7
            return day.adding(days: -back)
        }
    }

    /// Every interval from the one holding `from` to the one holding `to`, for every currency of
    /// `claims` (empty intervals included, at zero), in currency then date order.
    public static func points(_ claims: [ClaimFacts], from: ServiceDate, to: ServiceDate, interval: Interval)
        -> [Point]
    {
        var starts: [ServiceDate] = []
        var cursor = start(of: from, interval)
        while cursor <= to {
            starts.append(cursor)
            cursor =
                interval == .week
                ? cursor.adding(days: 7)
                : (try? ServiceDate(
                    year: cursor.month == 12 ? cursor.year + 1 : cursor.year, month: cursor.month % 12 + 1, day: 1))
                    ?? to.adding(days: 1)
        }
        let period = claims.filter { $0.dateOfService >= from && $0.dateOfService <= to }
        let byStart = Dictionary(grouping: period) { start(of: $0.dateOfService, interval) }
        var points: [Point] = []
        for currency in Set(period.map(\.currency)).sorted() {
            for start in starts {
                let claims = (byStart[start] ?? []).filter { $0.currency == currency }
                let billedClaims = claims.filter { $0.isSubmitted && !$0.isReplaced }
                let adjudicated = claims.filter { !$0.isResubmission && $0.isAdjudicated }
                points.append(
                    Point(
                        start: start,
                        billed: billedClaims.reduce(Money.zero(currency)) { (try? $0.adding($1.billed)) ?? $0 },
                        paid: billedClaims.reduce(Money.zero(currency)) { (try? $0.adding($1.paid)) ?? $0 },
                        initialDenialRate: KPIFigure(
                            .initialDenialRate, numerator: Decimal(adjudicated.filter(\.isDenied).count),
                            denominator: Decimal(adjudicated.count))))
            }
        }
        return points
    }
}
