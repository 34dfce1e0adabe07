import Fluent
import RCMCore
import SQLKit

/// The analytics summary (``AnalyticsSummary``): running sums of every claim's ``KPITotals`` and
/// denial entries per date of service, payer, provider and currency, and the per-claim parts they
/// were summed from.
///
/// - `analytics_pending`: claims whose facts changed since they were last summed (`claim_key`:
///   the claim's id, lower case; indexed, as a refresh takes every mark of a claim at once). Triggers on `claims`, `claim_lines`, `payments`,
///   `denial_actions` and the `submit` and `adjudication` rows of `workflow_steps` append to it in
///   the writing transaction, so no write path — a store, a script, an operator's SQL — can change
///   a claim's facts without the summary hearing of it.
/// - `analytics_claims`: one row per summed claim: its keys, totals and denial entries.
/// - `analytics_daily`: Σ totals per `day` (date of service as a day number since 1970-01-01),
///   payer, provider and currency.
/// - `analytics_denials`: Σ denial entries (claims, at-stake) per day, payer, provider, currency,
///   kind (`category`, `reason`) and key.
///
/// Every existing claim is marked pending, so the first refresh sums the history.
struct CreateAnalyticsSummary: AsyncMigration {
    var name: String { "0013_create_analytics_summary" }

    /// A table whose rows carry claim facts, and the claim key of a row (`r` stands for the row:
    /// `NEW` or `OLD`), `NULL` when the row concerns no claim's facts.
    private static let sources: [Source] = [
        ("claims", ["lower(CAST(r.id AS TEXT))"], nil),
        ("claim_lines", ["lower(CAST(r.claim_id AS TEXT))"], nil),
        ("payments", ["lower(CAST(r.claim_id AS TEXT))"], nil),
        ("denial_actions", ["lower(CAST(r.claim_id AS TEXT))", "lower(CAST(r.replacement_claim_id AS TEXT))"], nil),
        (
            "workflow_steps", ["substr(r.workflow_id, 7)"],
            "r.name IN ('submit', 'adjudication') AND r.workflow_id LIKE 'claim-%'"
        ),
    ]

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let postgres = sql.dialect.name == "postgresql"
        let counters = KPITotals.fields.map { "\($0.name) BIGINT NOT NULL DEFAULT 0" }.joined(separator: ", ")
        try await database.transaction { database in
            let sql = database as! any SQLDatabase
            try await sql.raw(
                """
                CREATE TABLE IF NOT EXISTS analytics_pending (
                  seq \(unsafeRaw: postgres ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT"),
                  claim_key TEXT NOT NULL)
                """
            ).run()
            try await SchemaIndex.create(on: database, table: "analytics_pending", columns: ["claim_key"])
            try await sql.raw(
                """
                CREATE TABLE IF NOT EXISTS analytics_claims (
                  claim_key TEXT PRIMARY KEY, day INTEGER NOT NULL, payer TEXT NOT NULL, provider TEXT NOT NULL,
                  currency TEXT NOT NULL, \(unsafeRaw: counters), denial_entries TEXT NOT NULL)
                """
            ).run()
            try await sql.raw(
                """
                CREATE TABLE IF NOT EXISTS analytics_daily (
                  day INTEGER NOT NULL, payer TEXT NOT NULL, provider TEXT NOT NULL, currency TEXT NOT NULL,
                  \(unsafeRaw: counters), PRIMARY KEY (day, payer, provider, currency))
                """
            ).run()
            try await sql.raw(
                """
                CREATE TABLE IF NOT EXISTS analytics_denials (
                  day INTEGER NOT NULL, payer TEXT NOT NULL, provider TEXT NOT NULL, currency TEXT NOT NULL,
                  kind TEXT NOT NULL, key TEXT NOT NULL, claims BIGINT NOT NULL DEFAULT 0,
                  at_stake_minor BIGINT NOT NULL DEFAULT 0,
                  PRIMARY KEY (day, payer, provider, currency, kind, key))
                """
            ).run()
            for source in Self.sources {
                for statement in postgres ? Self.postgresTrigger(source) : Self.sqliteTriggers(source) {
                    try await sql.raw(SQLQueryString(statement)).run()
                }
            }
            try await sql.raw(
                "INSERT INTO analytics_pending (claim_key) SELECT lower(CAST(id AS TEXT)) FROM claims WHERE use = 'claim'"
            ).run()
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let postgres = sql.dialect.name == "postgresql"
        for source in Self.sources {
            if postgres {
                for trigger in ["\(source.table)_analytics", "\(source.table)_analytics_delete"] {
                    try await sql.raw(SQLQueryString("DROP TRIGGER IF EXISTS \(trigger) ON \(source.table)")).run()
                }
                try await sql.raw(SQLQueryString("DROP FUNCTION IF EXISTS rcm_\(source.table)_analytics()")).run()
            } else {
                for event in ["insert", "update", "delete"] {
                    try await sql.raw(SQLQueryString("DROP TRIGGER IF EXISTS \(source.table)_analytics_\(event)")).run()
                }
            }
        }
        for table in ["analytics_denials", "analytics_daily", "analytics_claims", "analytics_pending"] {
            try await sql.raw(SQLQueryString("DROP TABLE IF EXISTS \(table)")).run()
        }
    }

    private typealias Source = (table: String, keys: [String], when: String?)

    /// `INSERT … SELECT` of the claim keys of `rows` (`NEW`, `OLD`), each once.
    private static func insertKeys(_ source: Source, rows: [String]) -> String {
        let selects = rows.flatMap { row in
            source.keys.map { key in
                "SELECT \(key.replacingOccurrences(of: "r.", with: "\(row).")) AS claim_key"
                    + (condition(source, row: row).map { " WHERE \($0)" } ?? "")
            }
        }
        return "INSERT INTO analytics_pending (claim_key) SELECT claim_key FROM ("
            + selects.joined(separator: " UNION ") + ") k WHERE claim_key IS NOT NULL"
    }

    private static func condition(_ source: Source, row: String) -> String? {
        source.when?.replacingOccurrences(of: "r.", with: "\(row).")
    }

    /// SQLite: one trigger per event, each with the rows it has.
    private static func sqliteTriggers(_ source: Source) -> [String] {
        [("insert", ["NEW"]), ("update", ["NEW", "OLD"]), ("delete", ["OLD"])].map { event, rows in
            """
            CREATE TRIGGER IF NOT EXISTS \(source.table)_analytics_\(event) AFTER \(event.uppercased()) ON \(source.table)
            \(condition(source, row: rows[0]).map { "WHEN \($0)" } ?? "")
            BEGIN \(insertKeys(source, rows: rows)); END
            """
        }
    }

    /// PostgreSQL: one function for the three events; its row trigger fires only for the rows
    /// that concern a claim's facts.
    private static func postgresTrigger(_ source: Source) -> [String] {
        let function = "rcm_\(source.table)_analytics"
        let trigger = "\(source.table)_analytics"
        var statements = [
            """
            CREATE OR REPLACE FUNCTION \(function)() RETURNS trigger AS $$
            BEGIN
              IF TG_OP = 'INSERT' THEN \(insertKeys(source, rows: ["NEW"]));
              ELSIF TG_OP = 'UPDATE' THEN \(insertKeys(source, rows: ["NEW", "OLD"]));
              ELSE \(insertKeys(source, rows: ["OLD"]));
              END IF;
              RETURN NULL;
            END;
            $$ LANGUAGE plpgsql
            """,
            "DROP TRIGGER IF EXISTS \(trigger) ON \(source.table)",
            "DROP TRIGGER IF EXISTS \(trigger)_delete ON \(source.table)",
        ]
        if let new = condition(source, row: "NEW"), let old = condition(source, row: "OLD") {
            statements += [
                """
                CREATE TRIGGER \(trigger) AFTER INSERT OR UPDATE ON \(source.table)
                FOR EACH ROW WHEN (\(new)) EXECUTE FUNCTION \(function)()
                """,
                """
                CREATE TRIGGER \(trigger)_delete AFTER DELETE ON \(source.table)
                FOR EACH ROW WHEN (\(old)) EXECUTE FUNCTION \(function)()
                """,
            ]
        } else {
            statements.append(
                """
                CREATE TRIGGER \(trigger) AFTER INSERT OR UPDATE OR DELETE ON \(source.table)
                FOR EACH ROW EXECUTE FUNCTION \(function)()
                """)
        }
        return statements
    }
}
