import FHIR
import Fluent
import Foundation
import RCMCore
import RevenueCycle
import SQLKit

/// ``RevenueCycle/ClaimRepository`` over Fluent (`claims`, `claim_lines`).
struct FluentClaimRepository: ClaimRepository {
    let database: any Database

    func intake(_ submission: ClaimSubmission) async throws -> (ClaimID, created: Bool) {
        try await DatabaseMetrics.measure("claims.intake") {
            if let existing = try await existing(submission.intakeKey) { return (existing, false) }
            let model = try ClaimModel(submission)
            let lines = try submission.claim.lines.map { try ClaimLineModel($0, claimID: model.id!) }
            do {
                try await database.transaction { transaction in
                    try await ClaimModel.insert(model, lines: lines, at: Date(), on: try transaction.sql)
                }
            } catch  where (error as? any DatabaseError)?.isConstraintFailure == true {
                // Another task took in the same claim between the look-up and the insert.
                if let existing = try await existing(submission.intakeKey) { return (existing, false) }
                throw error
            }
            return (ClaimID(model.id!), true)
        }
    }

    func claims(withIdentifierValue value: String) async throws -> [ClaimID] {
        try await DatabaseMetrics.measure("claims.withIdentifierValue") {
            try await ClaimModel.query(on: database).filter(\.$identifierValue == value)
                .sort(\.$createdAt, .descending).limit(10).all().compactMap { $0.id.map(ClaimID.init) }
        }
    }

    func claims(withIdentifier identifier: ClaimIdentifier) async throws -> [(ClaimID, ClaimIntakeKey)] {
        try await DatabaseMetrics.measure("claims.claims") {
            try await ClaimModel.query(on: database)
                .filter(\.$identifierValue == identifier.value)
                .filter(\.$identifierSystem == identifier.system)
                .sort(\.$createdAt)
                .all()
                .compactMap { model in model.id.map { (ClaimID($0), ClaimIntakeKey(rawValue: model.intakeKey)) } }
        }
    }

    func claims(like claim: Claim, takenInBefore id: ClaimID) async throws -> [StoredClaim] {
        try await DatabaseMetrics.measure("claims.claims") {
            // Plain SQL, the lines of all of them in one statement: asked by every claim's scrub.
            let sql = try database.sql
            guard
                let takenIn = try await sql.select().column("created_at").from(ClaimModel.schema)
                    .where("id", .equal, id.rawValue).first()?.decode(column: "created_at", as: Date.self)
            else { throw ClaimNotFound(id: id) }
            let models = try await sql.select().columns(ClaimModel.columns.map { SQLColumn($0) })
                .from(ClaimModel.schema).where("created_at", .lessThan, takenIn)
                .where("patient_reference", .equal, claim.patientReference).where("provider", .equal, claim.provider)
                .where("payer", .equal, claim.payer).where("date_of_service", .equal, claim.dateOfService.description)
                .where("id", .notEqual, id.rawValue).all().map(ClaimModel.init(row:))
            let lines = try await ClaimModel.lines(of: models.compactMap(\.id), on: sql)
            return try models.map { try $0.toDomain(lines: lines[$0.id!, default: []]) }
        }
    }

    func claimWithLineReasons(_ id: ClaimID) async throws -> (claim: StoredClaim, lineReasons: [[String]]) {
        try await DatabaseMetrics.measure("claims.claimWithLineReasons") {
            guard let model = try await ClaimModel.find(id.rawValue, on: database) else { throw ClaimNotFound(id: id) }
            let lines = try await model.$lines.query(on: database).sort(\.$sequence).all()
            return (try model.toDomain(lines: lines), try lines.map { try $0.reasons() })
        }
    }

    func openDenials(category: DenialCategory?, limit: Int) async throws -> [(
        claim: StoredClaim, lineReasons: [[String]]
    )] {
        try await DatabaseMetrics.measure("claims.openDenials") {
            try await ClaimModel.openDenials(category: category?.rawValue, limit: limit, on: try database.sql)
                .map { model, lines in (try model.toDomain(lines: lines), try lines.map { try $0.reasons() }) }
        }
    }

    func reclassifyDenials() async throws -> Int {
        try await DatabaseMetrics.measure("claims.reclassifyDenials") {
            try await ClaimModel.reclassifyDenials(on: try database.sql)
        }
    }

    func claim(_ id: ClaimID) async throws -> StoredClaim {
        try await DatabaseMetrics.measure("claims.claim") {
            guard let (model, lines) = try await ClaimModel.read(id.rawValue, on: try database.sql) else {
                throw ClaimNotFound(id: id)
            }
            return try model.toDomain(lines: lines)
        }
    }

    func outcome(of id: ClaimID) async throws -> ClaimOutcome {
        try await DatabaseMetrics.measure("claims.outcome") {
            guard let outcome = try await ClaimModel.outcome(of: id.rawValue, on: try database.sql) else {
                throw ClaimNotFound(id: id)
            }
            return try StoredDataError.require(ClaimOutcome(rawValue: outcome), "claims.outcome", outcome)
        }
    }

    func recordAdjudication(_ adjudication: ClaimAdjudication, for id: ClaimID) async throws {
        try await update(id, operation: "claims.recordAdjudication") { model, lines, transaction in
            for line in lines {
                guard let decision = adjudication.lines.first(where: { $0.sequence == line.sequence }) else {
                    continue
                }
                // The models too: the denial queue's keys are read from them after the change.
                line.approvedMinor = try decision.approved.minorUnits()
                line.adjudicationReasons = try ClaimModel.json(decision.reasons)
                try await transaction.sql.update(ClaimLineModel.schema).set("approved_minor", to: line.approvedMinor)
                    .set("adjudication_reasons", to: line.adjudicationReasons).where("id", .equal, line.id).run()
            }
            try model.record(adjudication.outcome)
            model.approvedTotalMinor = try adjudication.approvedTotal.minorUnits()
        }
    }

    func attachPreAuthorization(_ reference: String, for id: ClaimID) async throws {
        try await update(id, operation: "claims.attachPreAuthorization") { model, _, _ in
            let bundle = try StoredDataError.require(
                try? JSONValue(parsing: model.bundle), "claims.bundle", String(model.bundle.prefix(40)))
            model.bundle = try ClaimModel.json(try ClaimBundle(json: bundle).withPreAuthRef(reference))
        }
    }

    func setOutcome(_ outcome: ClaimOutcome, for id: ClaimID) async throws {
        try await update(id, operation: "claims.setOutcome") { model, _, _ in try model.record(outcome) }
    }

    func addFindings(_ findings: [ClaimFinding], outcome: ClaimOutcome?, for id: ClaimID) async throws {
        try await update(id, operation: "claims.addFindings") { model, _, _ in
            try model.recordFindings(findings, keeping: { _ in true }, outcome: outcome)
        }
    }

    func reconcilePayments(
        for id: ClaimID, replacingFindingsOn field: String,
        _ derive:
            @escaping @Sendable (StoredClaim, [Payment]) throws -> (findings: [ClaimFinding], outcome: ClaimOutcome?)
    ) async throws {
        try await update(id, operation: "claims.reconcilePayments") { model, lines, transaction in
            let payments = try await FluentPaymentLedger(database: transaction).payments(for: id)
            let (findings, outcome) = try derive(try model.toDomain(lines: lines), payments)
            try model.recordFindings(findings, keeping: { $0.field != field }, outcome: outcome)
        }
    }

    /// A read-modify-write of one claim: in one transaction, the claim's row is locked (on
    /// PostgreSQL, so that two updates of one claim — a payer's answer and its payment, which arrive
    /// close together — do not lose each other's changes under READ COMMITTED; SQLite has a single
    /// writer), read with its lines, changed by `change` (which may write related rows on the
    /// transaction), and its outcome, findings, approved total and bundle written back — by plain
    /// SQL (issue 22: Fluent's models cost a reflection walk per row).
    /// - Parameter operation: the `rcm_db_query_duration_seconds` label.
    /// - Throws: ``ClaimNotFound``, or what `change` or the database throws (nothing is written then).
    private func update(
        _ id: ClaimID, operation: String,
        _ change: @escaping @Sendable (ClaimModel, [ClaimLineModel], any Database) async throws -> Void
    ) async throws {
        try await DatabaseMetrics.measure(operation) {
            try await database.transaction { transaction in
                let sql = try transaction.sql
                if sql.dialect.name == "postgresql" {
                    try await sql.raw(
                        "SELECT id FROM \(ident: ClaimModel.schema) WHERE id = \(bind: id.rawValue) FOR UPDATE"
                    ).run()
                }
                guard let (model, lines) = try await ClaimModel.read(id.rawValue, on: sql) else {
                    throw ClaimNotFound(id: id)
                }
                try await change(model, lines, transaction)
                let denial = try model.denialQueueKeys(lines: lines)
                try await sql.update(ClaimModel.schema).set("outcome", to: model.outcome)
                    .set("findings", to: model.findings).set("approved_total_minor", to: model.approvedTotalMinor)
                    .set("bundle", to: model.bundle).set(ClaimModel.denialCategoryColumn, to: denial.category)
                    .set(ClaimModel.denialAtStakeColumn, to: denial.atStakeMinor).set("updated_at", to: Date())
                    .where("id", .equal, id.rawValue).run()
            }
        }
    }

    private func existing(_ key: ClaimIntakeKey) async throws -> ClaimID? {
        try await ClaimModel.id(intakeKey: key.rawValue, on: try database.sql).map(ClaimID.init)
    }
}

extension ClaimModel {
    /// Keeps the recorded findings `keeping` accepts, appends those of `findings` not among them,
    /// and sets `outcome` when given (``record(_:)``).
    fileprivate func recordFindings(
        _ findings: [ClaimFinding], keeping: (ClaimFinding) -> Bool, outcome: ClaimOutcome?
    ) throws {
        let kept = try ClaimModel.decode([ClaimFinding].self, self.findings, column: "claims.findings").filter(keeping)
        self.findings = try ClaimModel.json(kept + findings.filter { !kept.contains($0) })
        if let outcome { try record(outcome) }
    }

    /// Sets `outcome` when the stored one admits it (`ClaimOutcome.admits(_:)`); otherwise keeps
    /// the stored one. Throws `StoredDataError` when the stored outcome is not a known `ClaimOutcome`.
    fileprivate func record(_ next: ClaimOutcome) throws {
        let current = try StoredDataError.require(ClaimOutcome(rawValue: outcome), "claims.outcome", outcome)
        if current.admits(next) { outcome = next.rawValue }
    }
}
