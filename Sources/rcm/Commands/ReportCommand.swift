import ArgumentParser
import Foundation
import RCMCore
import RCMServer

/// `rcm report kpis`: the revenue-cycle KPIs for a period, as a table a manager reads, or as JSON
/// or CSV (the API's `GET /api/v1/analytics/kpis` shapes).
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Revenue-cycle reports.", subcommands: [KPIs.self])

    struct KPIs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "kpis",
            abstract: "The revenue-cycle KPIs of claims by date of service (definitions: docs/billing.md, Analytics).")

        @ArgumentParser.Option(help: "First date of service, YYYY-MM-DD (default: 90 days up to --to).")
        var from: String?

        @ArgumentParser.Option(help: "Last date of service, YYYY-MM-DD (default: today, facility calendar).")
        var to: String?

        @ArgumentParser.Option(help: "Only this payer's claims (its participant code).")
        var payer: String?

        @ArgumentParser.Option(help: "Only this provider's claims.")
        var provider: String?

        @ArgumentParser.Flag(help: "Print JSON.")
        var json = false

        @ArgumentParser.Flag(help: "Print CSV (RFC 4180, with a header line).")
        var csv = false

        func validate() throws {
            if json && csv { throw ValidationError("--json and --csv: choose one") }
        }

        func run() async throws {
            let (from, to, payer, provider) = (from, to, payer, provider)
            let report = try await WorkflowsCommand.withServices(exclusive: false) { services in
                let period: AnalyticsReport.Period
                do {
                    period = try AnalyticsReport.Period.read(
                        from: from, to: to, payer: payer, provider: provider, today: services.analytics.today)
                } catch let error as AnalyticsInputError {
                    throw ValidationError("--\(error.field): \(error.message)")
                }
                return KPIReportDTO(
                    period, asOf: services.analytics.today,
                    figures: try await services.analytics.withoutRefreshLimit().kpis(period))
            }
            if json { return try WorkflowsCommand.print(report) }
            if csv { return print(report.csv, terminator: "") }
            print(Self.table(report), terminator: "")
        }

        /// The figures as aligned columns: KPI, currency, value with its unit, numerator / denominator.
        static func table(_ report: KPIReportDTO) -> String {
            var scope = "Claims with a date of service from \(report.from) to \(report.to)"
            if let payer = report.payer { scope += ", payer \(payer)" }
            if let provider = report.provider { scope += ", provider \(provider)" }
            var rows = [["KPI", "currency", "value", "numerator / denominator"]]
            for figure in report.kpis {
                let value = figure.value.map { figure.unit == "percent" ? "\($0) %" : "\($0) days" } ?? "–"
                rows.append([figure.title, figure.currency ?? "", value, "\(figure.numerator) / \(figure.denominator)"])
            }
            let widths = (0..<4).map { column in rows.map { $0[column].count }.max() ?? 0 }
            let lines = rows.map { row in
                zip(row, widths).enumerated().map { index, cell in
                    // Numbers right-aligned, text left-aligned.
                    index == 2
                        ? String(repeating: " ", count: cell.1 - cell.0.count) + cell.0
                        : cell.0.padding(toLength: cell.1, withPad: " ", startingAt: 0)
                }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
            }
            return scope + "; A/R as of \(report.asOf).\n\n" + lines.joined(separator: "\n") + "\n"
        }
    }
}
