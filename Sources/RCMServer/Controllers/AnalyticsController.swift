import Foundation
import RCMCore
import Vapor

/// The revenue-cycle analytics (definitions: ``RCMCore/KPI``; docs/billing.md "Analytics"), each as JSON,
/// or as CSV (RFC 4180, with a header line) when `Accept` asks for `text/csv`:
/// - `GET /api/v1/analytics/kpis?from=&to=&payer=&provider=`: every KPI, money KPIs per currency;
/// - `GET /api/v1/analytics/ar-aging?as_of=&payer=&provider=`: open A/R by age from date of service;
/// - `GET /api/v1/analytics/denials?group_by=category|payer|reason&from=&to=&payer=&provider=`;
/// - `GET /api/v1/analytics/trend?interval=week|month&from=&to=&payer=&provider=`;
/// - `GET /api/v1/analytics/payer-mix?from=&to=&payer=&provider=`.
///
/// `from` and `to` are dates of service `YYYY-MM-DD` (inclusive; `to` defaults to the facility's
/// day, `from` to 90 days up to `to`); `as_of` the day A/R is aged on (default: the facility's
/// day). A parameter out of its range answers 400 naming it (`query.from`).
struct AnalyticsController: RouteCollection {
    let report: AnalyticsReport

    func boot(routes: any RoutesBuilder) throws {
        let analytics = routes.grouped("api", "v1", "analytics")
        analytics.get("kpis") { request in
            let period = try period(request)
            let dto = KPIReportDTO(period, asOf: report.today, figures: try await report.kpis(period))
            return try await answer(request, dto, csv: dto.csv)
        }
        analytics.get("ar-aging") { request in
            let asOf = try day(request, "as_of") ?? report.today
            let rows = try await report.arAging(
                asOf: asOf, payer: text(request, "payer"), provider: text(request, "provider")
            ).map(ARAgingDTO.init)
            return try await answer(request, rows, csv: ARAgingDTO.csv(rows))
        }
        analytics.get("denials") { request in
            let grouping = try choice(request, "group_by", default: DenialBreakdown.Grouping.category)
            let groups = try await report.denials(try period(request), by: grouping).map(DenialGroupDTO.init)
            return try await answer(request, groups, csv: DenialGroupDTO.csv(groups, by: grouping))
        }
        analytics.get("trend") { request in
            let interval = try choice(request, "interval", default: KPITrend.Interval.week)
            let points = try await report.trend(try period(request), interval: interval).map(TrendPointDTO.init)
            return try await answer(request, points, csv: TrendPointDTO.csv(points))
        }
        analytics.get("payer-mix") { request in
            let rows = try await report.payerMix(try period(request)).map(PayerMixDTO.init)
            return try await answer(request, rows, csv: PayerMixDTO.csv(rows))
        }
    }

    private func text(_ request: Request, _ name: String) -> String? {
        request.query[String.self, at: name].flatMap { $0.isEmpty ? nil : $0 }
    }

    private func period(_ request: Request) throws -> AnalyticsReport.Period {
        do {
            return try AnalyticsReport.Period.read(
                from: text(request, "from"), to: text(request, "to"), payer: text(request, "payer"),
                provider: text(request, "provider"), today: report.today)
        } catch let error as AnalyticsInputError {
            throw FieldRefusal(field: "query.\(error.field)", message: error.message)
        }
    }

    private func day(_ request: Request, _ name: String) throws -> ServiceDate? {
        guard let value = text(request, name) else { return nil }
        do { return try ServiceDate(day: value) } catch {
            throw FieldRefusal(field: "query.\(name)", message: "'\(value.prefix(40))' is not a date YYYY-MM-DD")
        }
    }

    private func choice<T: RawRepresentable & CaseIterable>(_ request: Request, _ name: String, default fallback: T)
        throws -> T where T.RawValue == String
    {
        guard let value = text(request, name) else { return fallback }
        guard let chosen = T(rawValue: value) else {
            throw FieldRefusal(
                field: "query.\(name)",
                message: "'\(value.prefix(40))' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return chosen
    }

    /// JSON, or `csv` as `text/csv; charset=utf-8` when the client prefers CSV to JSON.
    private func answer<T: Content>(_ request: Request, _ value: T, csv: @autoclosure () -> String) async throws
        -> Response
    {
        let csvType = HTTPMediaType(type: "text", subType: "csv")
        let preferred = request.headers.accept.mediaTypes.first(where: { $0 == csvType || $0 == .json })
        guard preferred == csvType else { return try await value.encodeResponse(for: request) }
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        return Response(status: .ok, headers: headers, body: .init(string: csv()))
    }
}
