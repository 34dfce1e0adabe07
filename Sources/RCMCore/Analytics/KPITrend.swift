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
        points(
            KPIDayTotals.rows(claims.filter { $0.dateOfService >= from && $0.dateOfService <= to }), from: from,
            to: to, interval: interval)
    }

    /// The same from the totals of the claims with a date of service from `from` to `to`, split by
    /// day (rows without a day are left out).
    public static func points(_ days: [KPIDayTotals], from: ServiceDate, to: ServiceDate, interval: Interval)
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
        var sums: [CurrencyCode: [ServiceDate: KPITotals]] = [:]
        for row in days {
            guard let day = row.day, day >= from, day <= to else { continue }
            sums[row.currency, default: [:]][start(of: day, interval), default: .init()] += row.totals
        }
        var points: [Point] = []
        for (currency, byStart) in sums.sorted(by: { $0.key < $1.key }) {
            for start in starts {
                let totals = byStart[start] ?? .init()
                points.append(
                    Point(
                        start: start, billed: Money(minorUnits: totals.billedMinor, currency: currency),
                        paid: Money(minorUnits: totals.paidMinor, currency: currency),
                        initialDenialRate: KPIFigure(
                            .initialDenialRate, numerator: Decimal(totals.deniedClaims),
                            denominator: Decimal(totals.adjudicatedClaims))))
            }
        }
        return points
    }
}
