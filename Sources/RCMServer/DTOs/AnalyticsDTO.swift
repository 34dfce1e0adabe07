import Foundation
import RCMCore
import Vapor

/// `GET /api/v1/analytics/kpis`: the period and every KPI's figure; numbers as decimal strings
/// (percent with 2 places, days with 1, money with its currency's places).
public struct KPIReportDTO: Content, Sendable {
    public struct Figure: Content, Sendable {
        public let kpi: String
        public let title: String
        /// `nil` when the denominator is zero.
        public let value: String?
        public let numerator: String
        public let denominator: String
        /// `percent` or `days`.
        public let unit: String
        /// ISO 4217, for a money KPI.
        public let currency: String?
        public let definition: String

        public init(_ figure: KPIFigure) {
            kpi = figure.kpi.rawValue
            title = figure.kpi.title
            value = figure.valueText
            numerator = figure.numeratorText
            denominator = figure.denominatorText
            unit = figure.kpi.unit.rawValue
            currency = figure.currency?.code
            definition = figure.kpi.definition
        }
    }

    public let from: String
    public let to: String
    public let payer: String?
    public let provider: String?
    /// The day A/R is aged on (the facility's calendar).
    public let asOf: String
    /// Dates of service (every KPI counts claims by date of service).
    public let countsBy: String
    public let kpis: [Figure]

    public init(_ period: AnalyticsReport.Period, asOf: ServiceDate, figures: [KPIFigure]) {
        from = period.from.description
        to = period.to.description
        payer = period.payer
        provider = period.provider
        self.asOf = asOf.description
        countsBy = "date_of_service"
        kpis = figures.map(Figure.init)
    }

    /// `kpi,title,currency,value,numerator,denominator,unit,definition`, one line per figure.
    public var csv: String {
        CSVTable.line(["kpi", "title", "currency", "value", "numerator", "denominator", "unit", "definition"])
            + kpis.map {
                CSVTable.line([
                    $0.kpi, $0.title, $0.currency ?? "", $0.value ?? "", $0.numerator, $0.denominator, $0.unit,
                    $0.definition,
                ])
            }.joined()
    }
}

/// One A/R aging bucket in one currency (`GET /api/v1/analytics/ar-aging`).
public struct ARAgingDTO: Content, Sendable {
    /// `0-30`, `31-60`, `61-90`, `91-120`, `over-120` days from date of service.
    public let bucket: String
    public let currency: String
    public let claims: Int
    public let amount: String

    public init(_ row: ARAging.Row) {
        bucket = row.bucket.rawValue
        currency = row.amount.currency.code
        claims = row.claims
        amount = row.amount.amountText
    }

    public static func csv(_ rows: [ARAgingDTO]) -> String {
        CSVTable.line(["bucket", "currency", "claims", "amount"])
            + rows.map { CSVTable.line([$0.bucket, $0.currency, "\($0.claims)", $0.amount]) }.joined()
    }
}

/// One group of denied and stopped claims (`GET /api/v1/analytics/denials`).
public struct DenialGroupDTO: Content, Sendable {
    public let key: String
    public let currency: String
    public let claims: Int
    public let atStake: String

    public init(_ group: DenialBreakdown.Group) {
        key = group.key
        currency = group.atStake.currency.code
        claims = group.claims
        atStake = group.atStake.amountText
    }

    public static func csv(_ groups: [DenialGroupDTO], by grouping: DenialBreakdown.Grouping) -> String {
        CSVTable.line([grouping.rawValue, "currency", "claims", "at_stake"])
            + groups.map { CSVTable.line([$0.key, $0.currency, "\($0.claims)", $0.atStake]) }.joined()
    }
}

/// One interval of the trend (`GET /api/v1/analytics/trend`).
public struct TrendPointDTO: Content, Sendable {
    public let start: String
    public let currency: String
    public let billed: String
    public let paid: String
    public let initialDenialRate: String?
    public let adjudicated: String
    public let denied: String

    public init(_ point: KPITrend.Point) {
        start = point.start.description
        currency = point.billed.currency.code
        billed = point.billed.amountText
        paid = point.paid.amountText
        initialDenialRate = point.initialDenialRate.valueText
        adjudicated = point.initialDenialRate.denominatorText
        denied = point.initialDenialRate.numeratorText
    }

    public static func csv(_ points: [TrendPointDTO]) -> String {
        CSVTable.line(["start", "currency", "billed", "paid", "initial_denial_rate", "adjudicated", "denied"])
            + points.map {
                CSVTable.line([
                    $0.start, $0.currency, $0.billed, $0.paid, $0.initialDenialRate ?? "", $0.adjudicated, $0.denied,
                ])
            }.joined()
    }
}

/// Billed and paid for one payer in one currency (`GET /api/v1/analytics/payer-mix`).
public struct PayerMixDTO: Content, Sendable {
    public let payer: String
    public let currency: String
    public let claims: Int
    public let billed: String
    public let paid: String
    /// Percent of the currency's billed amount, 2 places.
    public let billedShare: String?

    public init(_ row: PayerMix.Row) {
        payer = row.payer
        currency = row.billed.currency.code
        claims = row.claims
        billed = row.billed.amountText
        paid = row.paid.amountText
        billedShare = row.billedShare.map { Money.formatted($0, digits: 2) }
    }

    public static func csv(_ rows: [PayerMixDTO]) -> String {
        CSVTable.line(["payer", "currency", "claims", "billed", "paid", "billed_share"])
            + rows.map {
                CSVTable.line([$0.payer, $0.currency, "\($0.claims)", $0.billed, $0.paid, $0.billedShare ?? ""])
            }.joined()
    }
}
