import Foundation
import RCMCore

/// What the dashboard shows for a period, from ``AnalyticsReport``: a tile per target (per
/// currency for money KPIs) with its green/amber/red status, every KPI's figure, and charts each
/// with its figures as a table (A/R aging, the weekly trend, denials by category and by payer,
/// payer mix).
struct DashboardPage: Encodable {
    struct Tile: Encodable {
        let kpi: String
        let title: String
        let currency: String
        /// The value as a number (`88.89`), or empty.
        let value: String
        /// As shown: `88.89 %`, `23.3 days`, `–`.
        let shown: String
        let target: String
        let status: String
        let statusText: String
    }

    struct Figure: Encodable {
        let kpi: String
        let title: String
        let currency: String
        let shown: String
        let numerator: String
        let denominator: String
    }

    struct Chart: Encodable {
        let id: String
        let title: String
        let svg: String
        let columns: [String]
        let rows: [[String]]
    }

    let layout: ConsoleLayout
    let from: String
    let to: String
    let payer: String
    let asOf: String
    let error: String?
    let tiles: [Tile]
    let figures: [Figure]
    let charts: [Chart]

    static func shown(_ figure: KPIFigure) -> String {
        guard let value = figure.valueText else { return "–" }
        return figure.kpi.unit == .percent ? "\(value) %" : "\(value) days"
    }

    init(
        layout: ConsoleLayout, period: AnalyticsReport.Period, asOf: ServiceDate, figures: [KPIFigure],
        targets: [KPITarget], aging: [ARAging.Row], trend: [KPITrend.Point], byCategory: [DenialBreakdown.Group],
        byPayer: [DenialBreakdown.Group], mix: [PayerMix.Row], error: String? = nil
    ) {
        self.layout = layout
        from = period.from.description
        to = period.to.description
        payer = period.payer ?? ""
        self.asOf = asOf.description
        self.error = error
        tiles = targets.flatMap { target in
            figures.filter { $0.kpi == target.kpi }.map { figure in
                let status = target.status(of: figure.value)
                let statusText: String =
                    switch status {
                    case .green: "on target"
                    case .amber: "near target"
                    case .red: "off target"
                    case .none: "no data"
                    }
                return Tile(
                    kpi: figure.kpi.rawValue,
                    title: figure.currency.map { "\(figure.kpi.title) (\($0.code))" } ?? figure.kpi.title,
                    currency: figure.currency?.code ?? "", value: figure.valueText ?? "", shown: Self.shown(figure),
                    target: target.text, status: status.rawValue, statusText: statusText)
            }
        }
        self.figures = figures.map {
            Figure(
                kpi: $0.kpi.rawValue, title: $0.kpi.title, currency: $0.currency?.code ?? "", shown: Self.shown($0),
                numerator: $0.numeratorText, denominator: $0.denominatorText)
        }
        var charts: [Chart] = []
        for currency in Set(aging.map(\.amount.currency)).sorted() {
            let rows = aging.filter { $0.amount.currency == currency }
            charts.append(
                Self.chart(
                    id: "aging-\(currency.code.lowercased())",
                    title: "Open A/R by days from date of service (\(currency.code))",
                    bars: rows.map { ($0.bucket.rawValue, $0.amount.amount, $0.amount.amountText) },
                    columns: ["Days", "Claims", "Open A/R"],
                    rows: rows.map { [$0.bucket.rawValue, "\($0.claims)", $0.amount.amountText] }))
        }
        for currency in Set(trend.map(\.billed.currency)).sorted() {
            let points = trend.filter { $0.billed.currency == currency }
            charts.append(
                Self.chart(
                    id: "trend-\(currency.code.lowercased())", title: "Billed per week (\(currency.code))",
                    bars: points.map { ($0.start.description, $0.billed.amount, $0.billed.amountText) },
                    columns: ["Week of", "Billed", "Paid", "Initial denial rate"],
                    rows: points.map {
                        [
                            $0.start.description, $0.billed.amountText, $0.paid.amountText,
                            $0.initialDenialRate.valueText.map { "\($0) %" } ?? "–",
                        ]
                    }))
        }
        for (id, title, groups) in [
            ("denials-category", "Denials by category", byCategory), ("denials-payer", "Denials by payer", byPayer),
        ] {
            charts.append(
                Self.chart(
                    id: id, title: title,
                    bars: groups.map {
                        ("\($0.key) (\($0.atStake.currency.code))", $0.atStake.amount, $0.atStake.amountText)
                    },
                    columns: ["Group", "Currency", "Claims", "At stake"],
                    rows: groups.map { [$0.key, $0.atStake.currency.code, "\($0.claims)", $0.atStake.amountText] }))
        }
        charts.append(
            Self.chart(
                id: "payer-mix", title: "Payer mix (billed)",
                bars: mix.map { ("\($0.payer) (\($0.billed.currency.code))", $0.billed.amount, $0.billed.amountText) },
                columns: ["Payer", "Currency", "Claims", "Billed", "Paid", "Share of billed"],
                rows: mix.map {
                    [
                        $0.payer, $0.billed.currency.code, "\($0.claims)", $0.billed.amountText, $0.paid.amountText,
                        $0.billedShare.map { "\(Money.formatted($0, digits: 2)) %" } ?? "–",
                    ]
                }))
        self.charts = charts
    }

    private static func chart(
        id: String, title: String, bars: [(String, Decimal, String)], columns: [String], rows: [[String]]
    ) -> Chart {
        Chart(
            id: id, title: title,
            svg: SVGBarChart(
                title: title, bars: bars.map { SVGBarChart.Bar(label: $0.0, value: $0.1, shown: $0.2) }, id: id
            ).svg,
            columns: columns, rows: rows)
    }
}

/// What every console page's layout needs: the page title, the section (for the navigation), the
/// signed-in user and roles, and the session's CSRF token.
struct ConsoleLayout: Encodable {
    let title: String
    let section: String
    let user: String?
    let roles: String?
    let csrf: String
}
