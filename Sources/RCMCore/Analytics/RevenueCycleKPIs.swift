import Foundation

/// The KPI formulas (definitions: ``KPI``), over the facts of the claims concerned.
public enum RevenueCycleKPIs {
    /// Every ``KPI`` for the claims with a date of service from `from` to `to` (inclusive); money
    /// KPIs once per currency, in currency order.
    /// - Parameters:
    ///   - claims: every claim with a date of service up to `to` (the A/R KPIs count them all; the
    ///     others only the period's); filters (payer, provider) already applied.
    ///   - today: the day A/R is aged on (the facility's calendar).
    public static func figures(_ claims: [ClaimFacts], from: ServiceDate, to: ServiceDate, today: ServiceDate)
        -> [KPIFigure]
    {
        let period = claims.filter { $0.dateOfService >= from && $0.dateOfService <= to }
        let originals = period.filter { !$0.isResubmission }
        let adjudicated = originals.filter(\.isAdjudicated)
        let billedClaims = period.filter { $0.isSubmitted && !$0.isReplaced }
        let openClaims = claims.filter { $0.dateOfService <= to }
        let days = Decimal(ServiceDate.days(from: from, to: to) + 1)
        var currencies = Set(claims.map(\.currency)).sorted().map(Optional.some)
        if currencies.isEmpty { currencies = [nil] }

        var figures: [KPIFigure] = []
        for kpi in KPI.allCases {
            if kpi.isMoney {
                for currency in currencies {
                    func sum(_ subset: [ClaimFacts], _ amount: (ClaimFacts) -> Money?) -> Decimal {
                        subset.filter { $0.currency == currency }.reduce(Decimal.zero) {
                            $0 + (amount($1)?.amount ?? 0)
                        }
                    }
                    let (numerator, denominator): (Decimal, Decimal)
                    switch kpi {
                    case .initialDenialRateByAmount:
                        (numerator, denominator) = (
                            sum(adjudicated.filter(\.isDenied), \.billed), sum(adjudicated, \.billed)
                        )
                    case .grossCollectionRate:
                        (numerator, denominator) = (sum(billedClaims, \.paid), sum(billedClaims, \.billed))
                    case .netCollectionRate:
                        (numerator, denominator) = (sum(billedClaims, \.paid), sum(billedClaims, \.allowed))
                    case .daysInAR:
                        (numerator, denominator) = (sum(openClaims, \.openBalance) * days, sum(billedClaims, \.billed))
                    case .arOver90DaysShare:
                        let aged = openClaims.filter { ServiceDate.days(from: $0.dateOfService, to: today) > 90 }
                        (numerator, denominator) = (sum(aged, \.openBalance), sum(openClaims, \.openBalance))
                    case .denialWriteOffShare:
                        (numerator, denominator) = (sum(period, \.writtenOff), sum(billedClaims, \.allowed))
                    default: continue
                    }
                    figures.append(KPIFigure(kpi, numerator: numerator, denominator: denominator, currency: currency))
                }
                continue
            }
            func count(_ subset: [ClaimFacts]) -> Decimal { Decimal(subset.count) }
            func meanDays(_ pairs: [(ServiceDate, ServiceDate?)]) -> (Decimal, Decimal) {
                let spans = pairs.compactMap { start, end in end.map { ServiceDate.days(from: start, to: $0) } }
                return (Decimal(spans.reduce(0, +)), Decimal(spans.count))
            }
            let (numerator, denominator): (Decimal, Decimal)
            switch kpi {
            case .cleanClaimRate:
                let throughEdits = originals.filter { $0.isSubmitted || $0.outcome == .rejected }
                (numerator, denominator) = (count(throughEdits.filter(\.isSubmitted)), count(throughEdits))
            case .firstPassResolutionRate:
                (numerator, denominator) = (count(adjudicated.filter { !$0.isDenied }), count(adjudicated))
            case .initialDenialRate:
                (numerator, denominator) = (count(adjudicated.filter(\.isDenied)), count(adjudicated))
            case .daysToSubmission:
                (numerator, denominator) = meanDays(period.map { ($0.dateOfService, $0.submittedOn) })
            case .daysToAdjudication:
                (numerator, denominator) = meanDays(
                    period.filter(\.isAdjudicated).map { ($0.dateOfService, $0.adjudicatedOn) })
            case .daysToPayment: (numerator, denominator) = meanDays(period.map { ($0.dateOfService, $0.firstPaidOn) })
            case .appealOverturnRate:
                let appealed = period.filter { $0.appealedOn != nil }
                (numerator, denominator) = (count(appealed.filter(\.isOverturned)), count(appealed))
            default: continue
            }
            figures.append(KPIFigure(kpi, numerator: numerator, denominator: denominator))
        }
        return figures
    }
}
