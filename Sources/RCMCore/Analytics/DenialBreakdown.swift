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

    /// One claim's part in the breakdowns by category and by reason (by payer reads the category
    /// parts), or the sum of the parts of several claims with the same kind, key, payer and
    /// currency (what the server's summary table keeps). Money in the currency's minor units.
    public struct Entry: Sendable, Hashable {
        public enum Kind: String, Sendable, CaseIterable {
            case category, reason
        }

        public let kind: Kind
        public let key: String
        public let payer: String
        public let currency: CurrencyCode
        public var claims: Int64
        public var atStakeMinor: Int64

        public init(kind: Kind, key: String, payer: String, currency: CurrencyCode, claims: Int64, atStakeMinor: Int64)
        {
            self.kind = kind
            self.key = key
            self.payer = payer
            self.currency = currency
            self.claims = claims
            self.atStakeMinor = atStakeMinor
        }
    }

    /// A denied (`denied`) or stopped (`rejected`) claim's entries: one for its category, one per
    /// distinct reason code on its lines (a claim stopped by an edit: `edit:<category>`; a denial
    /// without codes: `none`). None for any other claim.
    public static func entries(_ claim: ClaimFacts) -> [Entry] {
        guard let denial = claim.denial else { return [] }
        let atStake = (try? claim.atStake.minorUnits()) ?? 0
        var reasons = claim.outcome == .rejected ? ["edit:\(denial.category.rawValue)"] : denial.reasons
        if reasons.isEmpty { reasons = ["none"] }
        let keys: [(Entry.Kind, String)] = [(.category, denial.category.rawValue)] + reasons.map { (.reason, $0) }
        return keys.map { kind, key in
            Entry(kind: kind, key: key, payer: claim.payer, currency: claim.currency, claims: 1, atStakeMinor: atStake)
        }
    }

    /// The groups of the denied (`denied`) and stopped (`rejected`) claims among `claims`, most at
    /// stake first (then by key). By reason, a denied claim counts once under each distinct code
    /// on its lines.
    public static func groups(_ claims: [ClaimFacts], by grouping: Grouping) -> [Group] {
        groups(claims.flatMap(entries), by: grouping)
    }

    /// The same from the entries of the period's claims.
    public static func groups(_ entries: [Entry], by grouping: Grouping) -> [Group] {
        var totals: [String: [CurrencyCode: (claims: Int64, atStake: Int64)]] = [:]
        for entry in entries where entry.kind == (grouping == .reason ? .reason : .category) {
            let key = grouping == .payer ? entry.payer : entry.key
            let total = totals[key, default: [:]][entry.currency] ?? (0, 0)
            totals[key, default: [:]][entry.currency] = (
                total.claims + entry.claims, total.atStake + entry.atStakeMinor
            )
        }
        return totals.flatMap { key, byCurrency in
            byCurrency.map {
                Group(
                    key: key, claims: Int($0.value.claims),
                    atStake: Money(minorUnits: $0.value.atStake, currency: $0.key))
            }
        }.filter { $0.claims > 0 }.sorted {
            $0.atStake.amount != $1.atStake.amount
                ? $0.atStake.amount > $1.atStake.amount : ($0.key, $0.atStake.currency) < ($1.key, $1.atStake.currency)
        }
    }
}
