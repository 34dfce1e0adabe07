/// Open A/R by age from date of service (AAFP: age from the date of service, not the filing date),
/// in the buckets practice-management systems show (OpenEMR's collections report, Tebra's A/R
/// dashboard).
public enum ARAging {
    /// An age bucket, in days from the date of service.
    public enum Bucket: String, CaseIterable, Sendable, Codable {
        case days0To30 = "0-30"
        case days31To60 = "31-60"
        case days61To90 = "61-90"
        case days91To120 = "91-120"
        case over120 = "over-120"

        /// The oldest age in the bucket, in days; `nil` for the last (no limit).
        public var maximumAge: Int? {
            switch self {
            case .days0To30: 30
            case .days31To60: 60
            case .days61To90: 90
            case .days91To120: 120
            case .over120: nil
            }
        }

        /// The youngest age in the bucket, in days (the first takes any younger age too).
        public var minimumAge: Int {
            guard let index = Self.allCases.firstIndex(of: self), index > 0 else { return 0 }
            return (Self.allCases[index - 1].maximumAge ?? 0) + 1
        }

        /// The bucket of an age in days (a date of service after the day counts as 0).
        public static func of(ageDays: Int) -> Bucket {
            allCases.first { bucket in bucket.maximumAge.map { ageDays <= $0 } ?? true } ?? .over120
        }
    }

    /// One bucket's open A/R in one currency.
    public struct Row: Sendable, Hashable, Codable {
        public let bucket: Bucket
        /// How many claims have an open balance in the bucket.
        public let claims: Int
        public let amount: Money

        public init(bucket: Bucket, claims: Int, amount: Money) {
            self.bucket = bucket
            self.claims = claims
            self.amount = amount
        }
    }

    /// Every bucket for every currency of `claims` (zeros included), in currency then bucket order:
    /// each claim's ``ClaimFacts/openBalance`` aged from its date of service to `asOf`. Claims with
    /// a date of service after `asOf` are left out.
    public static func rows(_ claims: [ClaimFacts], asOf: ServiceDate) -> [Row] {
        let upToDay = claims.filter { $0.dateOfService <= asOf }
        return rows(
            upToDay.compactMap { claim in
                let open = claim.openBalance
                guard open.amount > 0 else { return nil }
                return Row(
                    bucket: .of(ageDays: ServiceDate.days(from: claim.dateOfService, to: asOf)), claims: 1,
                    amount: open)
            }, currencies: Set(upToDay.map(\.currency)))
    }

    /// Every bucket for every currency in `currencies` or `parts`, in currency then bucket order:
    /// the parts of one bucket and currency summed, a bucket without parts at zero.
    public static func rows(_ parts: [Row], currencies: Set<CurrencyCode>) -> [Row] {
        var rows: [Row] = []
        for currency in currencies.union(parts.map(\.amount.currency)).sorted() {
            for bucket in Bucket.allCases {
                let mine = parts.filter { $0.bucket == bucket && $0.amount.currency == currency }
                rows.append(
                    Row(
                        bucket: bucket, claims: mine.reduce(0) { $0 + $1.claims },
                        amount: mine.reduce(Money.zero(currency)) { (try? $0.adding($1.amount)) ?? $0 }))
            }
        }
        return rows
    }
}
