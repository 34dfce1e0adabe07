import Foundation

/// The KPI formulas (definitions: ``KPI``), over the ``KPITotals`` of the claims concerned.
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
        figures(
            period: KPIDayTotals.rows(claims.filter { $0.dateOfService >= from && $0.dateOfService <= to }),
            openAR: ARAging.rows(claims.filter { $0.dateOfService <= to }, asOf: today), from: from, to: to)
    }

    /// Every ``KPI`` from the period's totals and the open A/R.
    /// - Parameters:
    ///   - period: the totals of the claims with a date of service from `from` to `to`.
    ///   - openAR: the open A/R of the claims with a date of service up to `to`, aged on the
    ///     facility's day (``ARAging/rows(_:currencies:)``): every currency with claims up to `to`.
    public static func figures(period: [KPIDayTotals], openAR: [ARAging.Row], from: ServiceDate, to: ServiceDate)
        -> [KPIFigure]
    {
        let byCurrency = period.totals()
        let all = byCurrency.values.reduce(KPITotals(), +)
        let days = Decimal(ServiceDate.days(from: from, to: to) + 1)
        var currencies = Set(byCurrency.keys).union(openAR.map(\.amount.currency)).sorted().map(Optional.some)
        if currencies.isEmpty { currencies = [nil] }

        var figures: [KPIFigure] = []
        for kpi in KPI.allCases {
            if kpi.isMoney {
                for currency in currencies {
                    let totals = currency.flatMap { byCurrency[$0] } ?? KPITotals()
                    func amount(_ minor: Int64) -> Decimal {
                        currency.map { Money(minorUnits: minor, currency: $0).amount } ?? 0
                    }
                    func open(_ include: (ARAging.Bucket) -> Bool) -> Decimal {
                        openAR.filter { $0.amount.currency == currency && include($0.bucket) }.reduce(0) {
                            $0 + $1.amount.amount
                        }
                    }
                    let (numerator, denominator): (Decimal, Decimal)
                    switch kpi {
                    case .initialDenialRateByAmount:
                        (numerator, denominator) = (
                            amount(totals.deniedBilledMinor), amount(totals.adjudicatedBilledMinor)
                        )
                    case .grossCollectionRate:
                        (numerator, denominator) = (amount(totals.paidMinor), amount(totals.billedMinor))
                    case .netCollectionRate:
                        (numerator, denominator) = (amount(totals.paidMinor), amount(totals.allowedMinor))
                    case .daysInAR: (numerator, denominator) = (open { _ in true } * days, amount(totals.billedMinor))
                    case .arOver90DaysShare:
                        (numerator, denominator) = (open { $0.minimumAge > 90 }, open { _ in true })
                    case .denialWriteOffShare:
                        (numerator, denominator) = (amount(totals.writtenOffMinor), amount(totals.allowedMinor))
                    default: continue
                    }
                    figures.append(KPIFigure(kpi, numerator: numerator, denominator: denominator, currency: currency))
                }
                continue
            }
            let (numerator, denominator): (Int64, Int64)
            switch kpi {
            case .cleanClaimRate: (numerator, denominator) = (all.cleanClaims, all.claimsThroughEdits)
            case .firstPassResolutionRate:
                (numerator, denominator) = (all.adjudicatedClaims - all.deniedClaims, all.adjudicatedClaims)
            case .initialDenialRate: (numerator, denominator) = (all.deniedClaims, all.adjudicatedClaims)
            case .daysToSubmission: (numerator, denominator) = (all.daysToSubmission, all.submittedClaims)
            case .daysToAdjudication: (numerator, denominator) = (all.daysToAdjudication, all.decidedClaims)
            case .daysToPayment: (numerator, denominator) = (all.daysToPayment, all.paidClaims)
            case .appealOverturnRate: (numerator, denominator) = (all.overturnedClaims, all.appealedClaims)
            default: continue
            }
            figures.append(KPIFigure(kpi, numerator: Decimal(numerator), denominator: Decimal(denominator)))
        }
        return figures
    }
}
