import FluentKit
import Foundation
import RCMCore
import SQLKit

/// The denial work queue's keys on `claims` (migration 0015): `denial_category` (a
/// `DenialCategory` raw value; `NULL` for a claim not denied or stopped) and
/// `denial_at_stake_minor` (the amount at stake, billed − approved, in minor units of the claim's
/// currency). They are written with every change of a claim (``ClaimModel/denialQueueKeys(lines:)``
/// from ``RCMCore/DenialCase/classify(id:claim:outcome:approved:lineReasons:today:)``, the one
/// classification), so the queue is one indexed statement at any size instead of classifying
/// every denied claim per request (issue 22: at 100,000 claims no request finished in 10 s).
extension ClaimModel {
    /// `claims.denial_category`.
    static let denialCategoryColumn = "denial_category"
    /// `claims.denial_at_stake_minor`.
    static let denialAtStakeColumn = "denial_at_stake_minor"

    /// The queue's keys of this claim with `lines` as they stand: its category and amount at stake
    /// when its outcome puts it in the queue (``RCMCore/DenialCase/queueOutcomes``), else `nil`s.
    /// - Throws: ``StoredDataError`` when a stored column cannot be read; `MoneyError` when the
    ///   amount at stake does not fit minor units.
    func denialQueueKeys(lines: [ClaimLineModel]) throws -> (category: String?, atStakeMinor: Int64?) {
        guard let stored = ClaimOutcome(rawValue: outcome), DenialCase.queueOutcomes.contains(stored) else {
            return (nil, nil)
        }
        let claim = try toDomain(lines: lines)
        let denial = DenialCase.classify(
            id: claim.id, claim: claim.claim, outcome: claim.outcome, approved: claim.approvedTotal,
            lineReasons: try lines.sorted { $0.sequence < $1.sequence }.map { try $0.reasons() },
            today: claim.claim.dateOfService)
        return (denial.category.rawValue, try denial.atStake.minorUnits())
    }

    /// Open cases of the denial queue, in its order — the most money at stake first (minor units:
    /// amounts of different currencies are not converted), then the earliest date of service —
    /// each claim without its bundle and with its lines: denied or stopped claims (optionally of
    /// one `category`) that no write-off or resubmission closed (`denial_actions.closing_claim_id`).
    /// Two statements; the first reads `claims_denial_queue_idx` (or `…_category_idx`).
    static func openDenials(
        category: String?, limit: Int, on database: any SQLDatabase
    ) async throws -> [(ClaimModel, [ClaimLineModel])] {
        let filter =
            category.map { (category: String) -> SQLQueryString in
                "AND c.\(ident: denialCategoryColumn) = \(bind: category)"
            } ?? ""
        let rows = try await database.raw(
            """
            SELECT \(SQLList(columnsWithoutBundle.map { SQLColumn($0, table: "c") })) FROM \(ident: schema) c
            WHERE c.\(ident: denialCategoryColumn) IS NOT NULL \(filter)
            AND NOT EXISTS (SELECT 1 FROM \(ident: DenialActionModel.schema) d WHERE d.closing_claim_id = c.id)
            ORDER BY c.\(ident: denialAtStakeColumn) DESC, c.date_of_service ASC, c.id ASC
            LIMIT \(literal: max(0, limit))
            """
        ).all()
        let models = try rows.map(ClaimModel.init(row:))
        let lines = try await lines(of: models.compactMap(\.id), on: database)
        return models.map { ($0, lines[$0.id!, default: []]) }
    }

    /// Writes the queue's keys of every claim whose outcome puts it in the queue — after a bulk
    /// load that wrote claims without them, or when a release changes how denials are classified
    /// (migration 0015 runs it once) — and clears them on claims whose outcome does not. Reads
    /// 1,000 claims at a time, without their bundles.
    /// - Returns: how many claims are in the queue's keys now (open or closed).
    /// - Throws: what the database or ``denialQueueKeys(lines:)`` throws (claims done so far stay done).
    static func reclassifyDenials(on database: any SQLDatabase) async throws -> Int {
        let outcomes = DenialCase.queueOutcomes.map(\.rawValue).sorted()
        try await database.update(schema).set(SQLIdentifier(denialCategoryColumn), to: SQLLiteral.null)
            .set(SQLIdentifier(denialAtStakeColumn), to: SQLLiteral.null)
            .where(SQLIdentifier(denialCategoryColumn), .isNot, SQLLiteral.null)
            .where("outcome", .notIn, outcomes).run()
        var after: UUID?
        var count = 0
        while true {
            var page = database.select().columns(columnsWithoutBundle.map { SQLColumn($0) }).from(schema)
                .where("outcome", .in, outcomes)
            if let after { page = page.where("id", .greaterThan, after) }
            let models = try await page.orderBy("id").limit(1_000).all().map(ClaimModel.init(row:))
            guard let last = models.last?.id else { return count }
            let lines = try await lines(of: models.compactMap(\.id), on: database)
            for model in models {
                let keys = try model.denialQueueKeys(lines: lines[model.id!, default: []])
                try await database.update(schema).set(denialCategoryColumn, to: keys.category)
                    .set(denialAtStakeColumn, to: keys.atStakeMinor).where("id", .equal, model.id).run()
            }
            count += models.count
            after = last
        }
    }
}
