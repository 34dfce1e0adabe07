import Foundation

/// Billed and paid per payer, over the billed claims (see ``KPI``) of a period.
public enum PayerMix {
    public struct Row: Sendable, Hashable, Codable {
        public let payer: String
        public let claims: Int
        public let billed: Money
        public let paid: Money
        /// This payer's billed amount ÷ all payers' billed amount in the currency, in percent (2 places).
        public let billedShare: Decimal?
    }

    /// One row per payer and currency, most billed first.
    public static func rows(_ claims: [ClaimFacts]) -> [Row] { rows(KPIDayTotals.rows(claims)) }

    /// The same from the totals of the period's claims, split by payer (rows without a payer are
    /// left out).
    public static func rows(_ days: [KPIDayTotals]) -> [Row] {
        var sums: [CurrencyCode: [String: KPITotals]] = [:]
        for row in days {
            guard let payer = row.payer else { continue }
            sums[row.currency, default: [:]][payer, default: .init()] += row.totals
        }
        var rows: [Row] = []
        for (currency, byPayer) in sums {
            let all = Money(minorUnits: byPayer.values.reduce(0) { $0 + $1.billedMinor }, currency: currency).amount
            for (payer, totals) in byPayer where totals.billedClaims > 0 {
                let billed = Money(minorUnits: totals.billedMinor, currency: currency)
                rows.append(
                    Row(
                        payer: payer, claims: Int(totals.billedClaims), billed: billed,
                        paid: Money(minorUnits: totals.paidMinor, currency: currency),
                        billedShare: all.isZero ? nil : KPIFigure.rounded(billed.amount * 100 / all, places: 2)))
            }
        }
        return rows.sorted {
            ($0.billed.currency, -$0.billed.amount, $0.payer) < ($1.billed.currency, -$1.billed.amount, $1.payer)
        }
    }
}
