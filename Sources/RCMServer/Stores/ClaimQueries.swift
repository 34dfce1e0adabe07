import Fluent
import Foundation
import RCMCore
import SQLKit

/// Read queries over `claims` for the API and `rcm claims`: filtered pages, newest first, with an
/// opaque cursor; and one claim with everything recorded about it.
struct ClaimQueries: Sendable {
    let database: any Database

    /// What to list. Dates are dates of service (inclusive); amounts are billed totals in
    /// `currency` (decimal, at most its minor unit).
    struct Filter: Sendable {
        var outcomes: [ClaimOutcome] = []
        var payer: String?
        var from: ServiceDate?
        var to: ServiceDate?
        var currency: CurrencyCode?
        var minimumBilledMinor: Int64?
        var maximumBilledMinor: Int64?
    }

    /// A page position: the last row's creation time and id.
    struct Cursor: Sendable, Equatable {
        let createdAt: Double
        let id: UUID

        /// Opaque text for clients: base64url of `<seconds since 1970>|<uuid>`.
        var text: String {
            Data("\(createdAt)|\(id.uuidString)".utf8).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }

        init(createdAt: Double, id: UUID) {
            self.createdAt = createdAt
            self.id = id
        }

        /// - Throws: ``CursorError`` for text this API did not give out.
        init(text: String) throws {
            var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            while base64.count % 4 != 0 { base64 += "=" }
            guard let data = Data(base64Encoded: base64) else { throw CursorError() }
            let parts = String(decoding: data, as: UTF8.self).split(separator: "|")
            guard parts.count == 2, let seconds = Double(parts[0]), seconds.isFinite, seconds >= 0,
                let id = UUID(uuidString: String(parts[1]))
            else {
                throw CursorError()
            }
            self.init(createdAt: seconds, id: id)
        }
    }

    struct CursorError: Error, CustomStringConvertible {
        var description: String { "cursor: not a cursor this API gave out (use nextCursor from the previous page)" }
    }

    /// A page of claims, newest first, and the cursor of the next page (`nil` on the last). Reads
    /// only the columns a list shows (``ClaimModel/summaryColumns``), by plain SQL.
    func page(_ filter: Filter, limit: Int, after cursor: Cursor?) async throws -> ([ClaimModel], Cursor?) {
        try await DatabaseMetrics.measure("claims.page") {
            let select = try database.sql.select().columns(ClaimModel.summaryColumns.map { SQLColumn($0) })
                .from(ClaimModel.schema)
            if !filter.outcomes.isEmpty { select.where("outcome", .in, filter.outcomes.map(\.rawValue)) }
            if let payer = filter.payer { select.where("payer", .equal, payer) }
            if let from = filter.from { select.where("date_of_service", .greaterThanOrEqual, from.description) }
            if let to = filter.to { select.where("date_of_service", .lessThanOrEqual, to.description) }
            if let currency = filter.currency { select.where("currency", .equal, currency.code) }
            if let minimum = filter.minimumBilledMinor {
                select.where("billed_total_minor", .greaterThanOrEqual, minimum)
            }
            if let maximum = filter.maximumBilledMinor { select.where("billed_total_minor", .lessThanOrEqual, maximum) }
            if let cursor {
                // Rows after the cursor row: older, or as old and with a smaller id — compared with
                // the cursor row's own stored timestamp, read in SQL. Not the cursor's copy: a
                // timestamp read back through `Date` and bound again can move by a unit in its last
                // place, and the band of ±0.5 µs used before let a row just newer than the cursor
                // row, with a smaller id, come back on the next page (ClaimRouteTests saw a claim
                // twice). The cursor's copy stands in only for a row that is no longer there.
                let stated = Date(timeIntervalSince1970: cursor.createdAt)
                let anchor: SQLQueryString =
                    "COALESCE((SELECT created_at FROM \(ident: ClaimModel.schema) WHERE id = \(bind: cursor.id)), \(bind: stated))"
                select.where { group in
                    group.where(SQLColumn("created_at"), .lessThan, anchor).orWhere { and in
                        and.where(SQLColumn("created_at"), .equal, anchor).where("id", .lessThan, cursor.id)
                    }
                }
            }
            let rows = try await select.orderBy("created_at", .descending).orderBy("id", .descending)
                .limit(limit + 1).all().map(ClaimModel.init(row:))
            let page = Array(rows.prefix(limit))
            guard rows.count > limit, let last = page.last, let id = last.id, let created = last.createdAt else {
                return (page, nil)
            }
            return (page, Cursor(createdAt: created.timeIntervalSince1970, id: id))
        }
    }

    /// One claim with its lines, payments and eligibility answers, or `nil`.
    func detail(_ id: UUID) async throws -> (ClaimModel, [ClaimLineModel], [PaymentModel], [EligibilityCheckModel])? {
        try await DatabaseMetrics.measure("claims.detail") {
            guard let (claim, lines) = try await ClaimModel.read(id, on: try database.sql) else { return nil }
            let payments = try await PaymentModel.query(on: database).filter(\.$claim.$id == id)
                .sort(\.$postedAt).all()
            let checks = try await EligibilityCheckModel.query(on: database).filter(\.$claim.$id == id)
                .sort(\.$checkedAt).all()
            return (claim, lines, payments, checks)
        }
    }
}
