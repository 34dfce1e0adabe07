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

        /// The bucket of an age in days (a date of service after the day counts as 0).
        public static func of(ageDays: Int) -> Bucket {
            switch ageDays {
            case ...30: .days0To30
            case 31...60: .days31To60
            case 61...90: .days61To90
            case 91...120: .days91To120
            default: .over120
            }
        }
    }

    /// One bucket's open A/R in one currency.
    public struct Row: Sendable, Hashable, Codable {
        public let bucket: Bucket
        /// How many claims have an open balance in the bucket.
        public let claims: Int
        public let amount: Money
    }

    /// Every bucket for every currency of `claims` (zeros included), in currency then bucket order:
    /// each claim's ``ClaimFacts/openBalance`` aged from its date of service to `asOf`. Claims with
    /// a date of service after `asOf` are left out.
    public static func rows(_ claims: [ClaimFacts], asOf: ServiceDate) -> [Row] {
        var rows: [Row] = []
        for currency in Set(claims.map(\.currency)).sorted() {
            var totals: [Bucket: (claims: Int, amount: Money)] = [:]
            for claim in claims where claim.currency == currency && claim.dateOfService <= asOf {
                let open = claim.openBalance
                guard open.amount > 0 else { continue }
                let bucket = Bucket.of(ageDays: ServiceDate.days(from: claim.dateOfService, to: asOf))
                let total = totals[bucket] ?? (0, .zero(currency))
                totals[bucket] = (total.claims + 1, (try? total.amount.adding(open)) ?? total.amount)
            }
            for bucket in Bucket.allCases {
                let total = totals[bucket] ?? (0, .zero(currency))
                rows.append(Row(bucket: bucket, claims: total.claims, amount: total.amount))
            }
        }
        return rows
    }
}
