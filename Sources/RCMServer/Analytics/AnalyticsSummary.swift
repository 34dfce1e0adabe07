import Fluent
import Foundation
import RCMCore
import SQLKit

/// The analytics summary tables (migration `0013`): running sums of every claim's ``KPITotals``
/// and ``DenialBreakdown/Entry`` per date of service, payer, provider and currency, so a KPI over
/// a million claims reads a few thousand rows.
///
/// **Exact, not eventually.** Triggers mark a claim pending in the same transaction as any change
/// to its facts (its row, lines, payments, denial actions, `submit` or `adjudication` step).
/// Every read first calls ``refresh()``, which takes the pending claims, reads their facts as
/// committed now (``ClaimFactsQuery``), and replaces each claim's old part in the sums by its new
/// one in one transaction. Refreshes are serialised (PostgreSQL: a transaction-scoped advisory
/// lock; SQLite: its one writer), and a claim marked while a refresh runs stays pending for the
/// next, so concurrent payments are never lost or counted twice: the sums always equal the sums
/// over the claims' facts as of the last refresh (the tests check both against independent SQL).
struct AnalyticsSummary: Sendable {
    let database: any Database

    /// Claims summed per transaction.
    static let batchSize = 2000
    /// The advisory lock key that serialises refreshes on PostgreSQL ("RCM-ANLY").
    static let lockKey: Int64 = 0x52434D_414E4C59

    /// Sums the pending claims, a batch per transaction, until none is pending (a batch that
    /// takes fewer than ``batchSize`` marks took the last).
    /// - Returns: the number of pending marks taken.
    /// - Throws: the database's error (the batch being summed is rolled back and stays pending);
    ///   ``StoredDataError`` for a stored value that does not read back.
    @discardableResult
    func refresh() async throws -> Int {
        var taken = 0
        while true {
            let count = try await DatabaseMetrics.measure("analytics.refresh") {
                try await database.transaction { transaction in try await Self.refreshBatch(transaction) }
            }
            taken += count
            if count < Self.batchSize { return taken }
        }
    }

    /// How many changes are pending, counting up to `limit` (a bounded count: cheap however long
    /// the backlog).
    func pendingCount(upTo limit: Int) async throws -> Int {
        let sql = try Self.sql(database)
        let row = try await sql.raw(
            """
            SELECT COUNT(*) AS pending FROM (SELECT 1 FROM analytics_pending LIMIT \(unsafeRaw: String(max(0, limit)))) p
            """
        ).first()
        return try row?.decode(column: "pending", as: Int.self) ?? 0
    }

    /// How period totals are split.
    enum Split: String, Sendable {
        /// One row per currency (the KPIs).
        case currency
        /// One row per day and currency (the trend).
        case day
        /// One row per payer and currency (the payer mix).
        case payer
    }

    /// The totals of the claims with a date of service from `from` to `to`, summed in the
    /// database into as few rows as `split` needs (the reads decode only those). (Sums are cast
    /// back to BIGINT: PostgreSQL's SUM of a BIGINT is a NUMERIC.)
    func periodTotals(from: ServiceDate, to: ServiceDate, payer: String?, provider: String?, split: Split)
        async throws -> [KPIDayTotals]
    {
        let sql = try Self.sql(database)
        let sums = KPITotals.fields.map { "CAST(SUM(\($0.name)) AS BIGINT) AS \($0.name)" }.joined(separator: ", ")
        let keys = split == .currency ? "currency" : "\(split.rawValue), currency"
        let rows = try await sql.raw(
            """
            SELECT \(unsafeRaw: keys), \(unsafeRaw: sums) FROM analytics_daily
            WHERE \(Self.condition(from: from, to: to, payer: payer, provider: provider)) GROUP BY \(unsafeRaw: keys)
            """
        ).all()
        return try rows.map { row in
            var totals = KPITotals()
            for field in KPITotals.fields {
                totals[keyPath: field.value] = try row.decode(column: field.name, as: Int64?.self) ?? 0
            }
            return KPIDayTotals(
                day: split == .day ? ServiceDate(epochDay: try row.decode(column: "day", as: Int.self)) : nil,
                payer: split == .payer ? try row.decode(column: "payer", as: String.self) : nil,
                currency: try ClaimFactsQuery.currency(try row.decode(column: "currency", as: String.self)),
                totals: totals)
        }
    }

    /// Open A/R of the claims with a date of service up to `through`, aged on `asOf`: every bucket
    /// of every currency with claims up to `through` (``ARAging/rows(_:currencies:)``).
    func openAR(through: ServiceDate, asOf: ServiceDate, payer: String?, provider: String?) async throws
        -> [ARAging.Row]
    {
        let sql = try Self.sql(database)
        var bucket: SQLQueryString = "CASE"
        for case (let name, let age?) in ARAging.Bucket.allCases.map({ ($0.rawValue, $0.maximumAge) }) {
            bucket = bucket + " WHEN day >= \(bind: asOf.epochDay - age) THEN \(bind: name)"
        }
        bucket = bucket + " ELSE \(bind: ARAging.Bucket.over120.rawValue) END"
        let rows = try await sql.raw(
            """
            SELECT currency, \(bucket) AS bucket, CAST(SUM(open_claims) AS BIGINT) AS claims,
              CAST(SUM(open_minor) AS BIGINT) AS open_minor
            FROM analytics_daily WHERE \(Self.condition(from: nil, to: through, payer: payer, provider: provider))
            GROUP BY currency, bucket
            """
        ).all()
        var currencies: Set<CurrencyCode> = []
        var parts: [ARAging.Row] = []
        for row in rows {
            let currency = try ClaimFactsQuery.currency(try row.decode(column: "currency", as: String.self))
            currencies.insert(currency)
            let name = try row.decode(column: "bucket", as: String.self)
            parts.append(
                ARAging.Row(
                    bucket: try StoredDataError.require(ARAging.Bucket(rawValue: name), "analytics bucket", name),
                    claims: Int(try row.decode(column: "claims", as: Int64?.self) ?? 0),
                    amount: Money(
                        minorUnits: try row.decode(column: "open_minor", as: Int64?.self) ?? 0, currency: currency)))
        }
        return ARAging.rows(parts, currencies: currencies)
    }

    /// The denial entries of the claims with a date of service from `from` to `to`, summed per
    /// kind, key, payer and currency.
    func denialEntries(from: ServiceDate, to: ServiceDate, payer: String?, provider: String?) async throws
        -> [DenialBreakdown.Entry]
    {
        let sql = try Self.sql(database)
        return try await sql.raw(
            """
            SELECT kind, key, payer, currency, CAST(SUM(claims) AS BIGINT) AS claims,
              CAST(SUM(at_stake_minor) AS BIGINT) AS at_stake_minor
            FROM analytics_denials WHERE \(Self.condition(from: from, to: to, payer: payer, provider: provider))
            GROUP BY kind, key, payer, currency
            """
        ).all().map { row in
            let kind = try row.decode(column: "kind", as: String.self)
            return DenialBreakdown.Entry(
                kind: try StoredDataError.require(DenialBreakdown.Entry.Kind(rawValue: kind), "analytics kind", kind),
                key: try row.decode(column: "key", as: String.self),
                payer: try row.decode(column: "payer", as: String.self),
                currency: try ClaimFactsQuery.currency(try row.decode(column: "currency", as: String.self)),
                claims: try row.decode(column: "claims", as: Int64?.self) ?? 0,
                atStakeMinor: try row.decode(column: "at_stake_minor", as: Int64?.self) ?? 0)
        }
    }

    // MARK: - Refreshing

    /// Where a claim's part is summed.
    private struct Place: Hashable {
        let day: Int
        let payer: String
        let provider: String
        let currency: String
    }

    /// A denial entry's place.
    private struct DenialPlace: Hashable {
        let place: Place
        let kind: String
        let key: String
    }

    /// A claim's denial entries as `analytics_claims.denial_entries` keeps them (JSON).
    private struct StoredEntry: Codable, Hashable {
        let kind: String
        let key: String
        let atStakeMinor: Int64
    }

    /// Takes the ``batchSize`` oldest pending marks with every other mark of their claims (a claim
    /// taken in and decided is marked some five times: summed once), and re-sums those claims,
    /// in `transaction`.
    private static func refreshBatch(_ transaction: any Database) async throws -> Int {
        let sql = try sql(transaction)
        if sql.dialect.name == "postgresql" {
            try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: lockKey))").run()
        }
        let marks = try await sql.raw(
            """
            DELETE FROM analytics_pending WHERE claim_key IN (
              SELECT claim_key FROM analytics_pending ORDER BY seq LIMIT \(unsafeRaw: String(batchSize)))
            RETURNING claim_key
            """
        ).all().map { try $0.decode(column: "claim_key", as: String.self) }
        let keys = Array(Set(marks.map { $0.lowercased() }))
        guard !keys.isEmpty else { return marks.count }
        let keyBinds: [any Encodable & Sendable] = keys

        var daily: [Place: KPITotals] = [:]
        var denials: [DenialPlace: (claims: Int64, atStake: Int64)] = [:]
        func add(_ place: Place, _ totals: KPITotals, _ entries: [StoredEntry], sign: Int64) {
            daily[place, default: .init()] =
                sign > 0 ? daily[place, default: .init()] + totals : daily[place, default: .init()] - totals
            for entry in entries {
                let denialPlace = DenialPlace(place: place, kind: entry.kind, key: entry.key)
                let sum = denials[denialPlace] ?? (0, 0)
                denials[denialPlace] = (sum.claims + sign, sum.atStake + sign * entry.atStakeMinor)
            }
        }

        // The old parts out.
        for row in try await sql.raw(
            "SELECT * FROM analytics_claims WHERE claim_key IN (\(binds: keyBinds))"
        ).all() {
            var totals = KPITotals()
            for field in KPITotals.fields {
                totals[keyPath: field.value] = try row.decode(column: field.name, as: Int64.self)
            }
            let entries = try JSONDecoder().decode(
                [StoredEntry].self, from: Data(try row.decode(column: "denial_entries", as: String.self).utf8))
            add(
                Place(
                    day: try row.decode(column: "day", as: Int.self),
                    payer: try row.decode(column: "payer", as: String.self),
                    provider: try row.decode(column: "provider", as: String.self),
                    currency: try row.decode(column: "currency", as: String.self)), totals, entries, sign: -1)
        }
        try await sql.raw("DELETE FROM analytics_claims WHERE claim_key IN (\(binds: keyBinds))").run()

        // The new parts in.
        let facts = try await ClaimFactsQuery(database: transaction).facts(ids: keys.compactMap(UUID.init(uuidString:)))
        var claimRows: [[any Encodable & Sendable]] = []
        for claim in facts {
            let place = Place(
                day: claim.dateOfService.epochDay, payer: claim.payer, provider: claim.provider,
                currency: claim.currency.code)
            let totals = KPITotals(claim)
            let entries = DenialBreakdown.entries(claim).map {
                StoredEntry(kind: $0.kind.rawValue, key: $0.key, atStakeMinor: $0.atStakeMinor)
            }
            add(place, totals, entries, sign: 1)
            let encoded = String(decoding: try JSONEncoder().encode(entries), as: UTF8.self)
            claimRows.append(
                [claim.id.rawValue.uuidString.lowercased(), place.day, place.payer, place.provider, place.currency]
                    + KPITotals.fields.map { totals[keyPath: $0.value] } + [encoded])
        }
        let counters = KPITotals.fields.map(\.name)
        try await insert(
            sql, table: "analytics_claims",
            columns: ["claim_key", "day", "payer", "provider", "currency"] + counters + ["denial_entries"],
            rows: claimRows)

        // The differences added to the sums.
        try await insert(
            sql, table: "analytics_daily", columns: ["day", "payer", "provider", "currency"] + counters,
            rows: daily.filter { !$0.value.isZero }.map { place, totals in
                [place.day, place.payer, place.provider, place.currency]
                    + counters.indices.map {
                        totals[keyPath: KPITotals.fields[$0].value]
                    }
            }, addingOnConflict: (["day", "payer", "provider", "currency"], counters))
        try await insert(
            sql, table: "analytics_denials",
            columns: ["day", "payer", "provider", "currency", "kind", "key", "claims", "at_stake_minor"],
            rows: denials.filter { $0.value != (0, 0) }.map { place, sum in
                [
                    place.place.day, place.place.payer, place.place.provider, place.place.currency, place.kind,
                    place.key,
                    sum.claims, sum.atStake,
                ]
            },
            addingOnConflict: (["day", "payer", "provider", "currency", "kind", "key"], ["claims", "at_stake_minor"]))
        return marks.count
    }

    /// Inserts `rows` a few hundred per statement; with `addingOnConflict`, a row whose key is
    /// taken adds its values to the stored ones instead (`INSERT … ON CONFLICT … DO UPDATE`, in
    /// PostgreSQL and SQLite ≥ 3.24).
    private static func insert(
        _ sql: any SQLDatabase, table: String, columns: [String], rows: [[any Encodable & Sendable]],
        addingOnConflict: (key: [String], sums: [String])? = nil
    ) async throws {
        let perStatement = max(1, 8000 / columns.count)
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(start + perStatement, rows.count)]
            start += perStatement
            var statement: SQLQueryString = "INSERT INTO \(ident: table) (\(idents: columns, joinedBy: ", ")) VALUES "
            for (index, row) in chunk.enumerated() {
                statement = statement + (index == 0 ? "(" : ", (") + "\(binds: row))"
            }
            if let addingOnConflict {
                let sums = addingOnConflict.sums.map { "\($0) = \(table).\($0) + excluded.\($0)" }.joined(
                    separator: ", ")
                statement =
                    statement
                    + " ON CONFLICT (\(idents: addingOnConflict.key, joinedBy: ", ")) DO UPDATE SET \(unsafeRaw: sums)"
            }
            try await sql.raw(statement).run()
        }
    }

    // MARK: - Helpers

    /// `day` from `from` to `to`, one payer and one provider if given.
    private static func condition(from: ServiceDate?, to: ServiceDate, payer: String?, provider: String?)
        -> SQLQueryString
    {
        var condition: SQLQueryString = "day <= \(bind: to.epochDay)"
        if let from { condition = condition + " AND day >= \(bind: from.epochDay)" }
        if let payer { condition = condition + " AND payer = \(bind: payer)" }
        if let provider { condition = condition + " AND provider = \(bind: provider)" }
        return condition
    }

    private static func sql(_ database: any Database) throws -> any SQLDatabase {
        guard let sql = database as? any SQLDatabase else {
            throw StoredDataError(column: "analytics", value: "a database without SQL")
        }
        return sql
    }
}
