import Fluent
import Foundation
import RCMCore
import RevenueCycle
import SQLKit

/// Reads ``RCMCore/ClaimFacts`` for the analytics from the stores' tables, with SQL that PostgreSQL
/// and SQLite both run: claims (`use` = `claim`) by id, with the day their `submit` and
/// `adjudication` steps completed, their lines as the payer decided them, their payments and their
/// denial actions. Four statements in all, whatever the number of claims.
struct ClaimFactsQuery: Sendable {
    let database: any Database

    /// The facts of the claims with these ids (an id that is not a claim's is left out), in no
    /// particular order. Keep `ids` to a few thousand: each is a bound parameter.
    /// - Throws: the database's error; ``StoredDataError`` for a stored value that does not read
    ///   back (a currency, an outcome, a date).
    func facts(ids: [UUID]) async throws -> [ClaimFacts] {
        guard let sql = database as? any SQLDatabase else {
            throw StoredDataError(column: "claims", value: "a database without SQL")
        }
        guard !ids.isEmpty else { return [] }
        let binds: [any Encodable & Sendable] = ids
        return try await DatabaseMetrics.measure("analytics.claimFacts") {
            let claimsWhere: SQLQueryString = "c.use = 'claim' AND c.id IN (\(binds: binds))"
            let zone = BillingCalendar.facilityTimeZone
            var lines: [UUID: [ClaimFacts.Line]] = [:]
            for row in try await sql.raw(
                """
                SELECT l.claim_id, l.currency, l.net_minor, l.approved_minor, l.adjudication_reasons
                FROM claim_lines l JOIN claims c ON c.id = l.claim_id WHERE \(claimsWhere) ORDER BY l.sequence
                """
            ).all() {
                let currency = try Self.currency(try row.decode(column: "currency", as: String.self))
                let reasons = try row.decode(column: "adjudication_reasons", as: String?.self)
                lines[try row.decode(column: "claim_id", as: UUID.self), default: []].append(
                    ClaimFacts.Line(
                        submitted: Money(
                            minorUnits: try row.decode(column: "net_minor", as: Int64.self), currency: currency),
                        approved: try row.decode(column: "approved_minor", as: Int64?.self).map {
                            Money(minorUnits: $0, currency: currency)
                        },
                        reasons: try reasons.map {
                            try ClaimModel.decode([String].self, $0, column: "claim_lines.adjudication_reasons")
                        } ?? []))
            }
            var payments: [UUID: [ClaimFacts.Payment]] = [:]
            for row in try await sql.raw(
                """
                SELECT p.claim_id, p.amount_minor, p.currency, p.payment_date, p.posted_at
                FROM payments p JOIN claims c ON c.id = p.claim_id WHERE \(claimsWhere)
                """
            ).all() {
                let currency = try Self.currency(try row.decode(column: "currency", as: String.self))
                let day = try row.decode(column: "payment_date", as: String?.self)
                payments[try row.decode(column: "claim_id", as: UUID.self), default: []].append(
                    ClaimFacts.Payment(
                        amount: Money(
                            minorUnits: try row.decode(column: "amount_minor", as: Int64.self), currency: currency),
                        date: try day.map { try Self.day($0, column: "payments.payment_date") }
                            ?? ServiceDate(try row.decode(column: "posted_at", as: Date.self), in: zone)))
            }
            var replacements: Set<UUID> = []
            var actions: [UUID: (replaced: Bool, writtenOff: Money?, appealedOn: ServiceDate?)] = [:]
            for row in try await sql.raw(
                """
                SELECT d.claim_id, d.action, d.at, d.amount_minor, d.currency, d.replacement_claim_id
                FROM denial_actions d
                WHERE d.claim_id IN (\(binds: binds)) OR d.replacement_claim_id IN (\(binds: binds))
                """
            ).all() {
                let claim = try row.decode(column: "claim_id", as: UUID.self)
                var entry = actions[claim] ?? (false, nil, nil)
                switch try row.decode(column: "action", as: String.self) {
                case DenialAction.correctAndResubmit.rawValue:
                    entry.replaced = true
                    if let replacement = try row.decode(column: "replacement_claim_id", as: UUID?.self) {
                        replacements.insert(replacement)
                    }
                case DenialAction.writeOff.rawValue:
                    if let minor = try row.decode(column: "amount_minor", as: Int64?.self),
                        let code = try row.decode(column: "currency", as: String?.self)
                    {
                        entry.writtenOff = Money(minorUnits: minor, currency: try Self.currency(code))
                    }
                case DenialAction.appeal.rawValue:
                    let day = ServiceDate(try row.decode(column: "at", as: Date.self), in: zone)
                    entry.appealedOn = min(entry.appealedOn ?? day, day)
                default: break
                }
                actions[claim] = entry
            }
            return try await sql.raw(
                """
                SELECT c.id, c.payer, c.provider, c.date_of_service, c.currency, c.billed_total_minor, c.outcome,
                  c.findings, s.finished_at AS submitted_at, a.finished_at AS adjudicated_at
                FROM claims c
                LEFT JOIN workflow_steps s
                  ON s.workflow_id = lower('claim-' || c.id) AND s.name = 'submit' AND s.status = 'COMPLETED'
                LEFT JOIN workflow_steps a
                  ON a.workflow_id = lower('claim-' || c.id) AND a.name = 'adjudication' AND a.status = 'COMPLETED'
                WHERE \(claimsWhere)
                """
            ).all().map { row in
                let id = try row.decode(column: "id", as: UUID.self)
                let currency = try Self.currency(try row.decode(column: "currency", as: String.self))
                let outcomeText = try row.decode(column: "outcome", as: String.self)
                let outcome = try StoredDataError.require(
                    ClaimOutcome(rawValue: outcomeText), "claims.outcome", outcomeText)
                // Only a stopped claim's findings say anything to the KPIs (its denial category).
                let findings =
                    outcome == .rejected
                    ? try ClaimModel.decode(
                        [ClaimFinding].self, try row.decode(column: "findings", as: String.self),
                        column: "claims.findings")
                    : []
                let action = actions[id]
                return ClaimFacts(
                    id: ClaimID(id), payer: try row.decode(column: "payer", as: String.self),
                    provider: try row.decode(column: "provider", as: String.self),
                    dateOfService: try Self.day(
                        try row.decode(column: "date_of_service", as: String.self), column: "claims.date_of_service"),
                    billed: Money(
                        minorUnits: try row.decode(column: "billed_total_minor", as: Int64.self), currency: currency),
                    outcome: outcome,
                    isResubmission: replacements.contains(id), isReplaced: action?.replaced ?? false,
                    submittedOn: try row.decode(column: "submitted_at", as: Date?.self).map {
                        ServiceDate($0, in: zone)
                    },
                    adjudicatedOn: try row.decode(column: "adjudicated_at", as: Date?.self).map {
                        ServiceDate($0, in: zone)
                    },
                    lines: lines[id] ?? [], payments: payments[id] ?? [],
                    findings: findings.filter { $0.severity == .error }, writtenOff: action?.writtenOff,
                    appealedOn: action?.appealedOn)
            }
        }
    }

    /// A stored currency code.
    static func currency(_ code: String) throws -> CurrencyCode {
        do { return try CurrencyCode(stored: code) } catch { throw StoredDataError(column: "currency", value: code) }
    }

    private static func day(_ text: String, column: String) throws -> ServiceDate {
        do { return try ServiceDate(day: text) } catch { throw StoredDataError(column: column, value: text) }
    }
}
