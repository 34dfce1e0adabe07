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
    public static func rows(_ claims: [ClaimFacts]) -> [Row] {
        let billedClaims = claims.filter { $0.isSubmitted && !$0.isReplaced }
        var rows: [Row] = []
        for currency in Set(billedClaims.map(\.currency)).sorted() {
            let ofCurrency = billedClaims.filter { $0.currency == currency }
            let all = ofCurrency.reduce(Decimal.zero) { $0 + $1.billed.amount }
            for (payer, claims) in Dictionary(grouping: ofCurrency, by: \.payer) {
                let billed = claims.reduce(Money.zero(currency)) { (try? $0.adding($1.billed)) ?? $0 }
                let paid = claims.reduce(Money.zero(currency)) { (try? $0.adding($1.paid)) ?? $0 }
                rows.append(
                    Row(
                        payer: payer, claims: claims.count, billed: billed, paid: paid,
                        billedShare: all.isZero ? nil : KPIFigure.rounded(billed.amount * 100 / all, places: 2)))
            }
        }
        return rows.sorted {
            ($0.billed.currency, -$0.billed.amount, $0.payer) < ($1.billed.currency, -$1.billed.amount, $1.payer)
        }
    }
}
