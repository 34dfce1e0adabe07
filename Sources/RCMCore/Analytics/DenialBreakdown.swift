/// Denied and stopped claims grouped for the manager: by category, by payer, or by reason code.
public enum DenialBreakdown {
    public enum Grouping: String, CaseIterable, Sendable, Codable {
        case category, payer, reason
    }

    /// One group in one currency.
    public struct Group: Sendable, Hashable, Codable {
        /// The category (`coding`), the payer's code, or the reason code (`CO-16` as the payer sent
        /// it; a claim stopped before submission by an edit: `edit:<category>`).
        public let key: String
        public let claims: Int
        /// Σ ``ClaimFacts/atStake``.
        public let atStake: Money
    }

    /// The groups of the denied (`denied`) and stopped (`rejected`) claims among `claims`, most at
    /// stake first (then by key). By reason, a denied claim counts once under each distinct code
    /// on its lines.
    public static func groups(_ claims: [ClaimFacts], by grouping: Grouping) -> [Group] {
        var totals: [String: [CurrencyCode: (claims: Int, atStake: Money)]] = [:]
        for claim in claims {
            guard let denial = claim.denial else { continue }
            let keys: [String]
            switch grouping {
            case .category: keys = [denial.category.rawValue]
            case .payer: keys = [claim.payer]
            case .reason:
                keys = claim.outcome == .rejected ? ["edit:\(denial.category.rawValue)"] : denial.reasons
            }
            for key in keys.isEmpty ? ["none"] : keys {
                let total = totals[key, default: [:]][claim.currency] ?? (0, .zero(claim.currency))
                totals[key, default: [:]][claim.currency] = (
                    total.claims + 1, (try? total.atStake.adding(claim.atStake)) ?? total.atStake
                )
            }
        }
        return totals.flatMap { key, byCurrency in
            byCurrency.map { Group(key: key, claims: $0.value.claims, atStake: $0.value.atStake) }
        }.sorted {
            $0.atStake.amount != $1.atStake.amount
                ? $0.atStake.amount > $1.atStake.amount : ($0.key, $0.atStake.currency) < ($1.key, $1.atStake.currency)
        }
    }
}
