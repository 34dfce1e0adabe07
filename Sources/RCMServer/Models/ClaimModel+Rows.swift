import FluentKit
import Foundation
import SQLKit

/// Claims read by plain SQL on hot paths: the claim workflow reads a claim at nearly every step,
/// and Fluent's model loading walks each model's properties by reflection (`Mirror`) for every
/// row — a tenth of `rcm process`'s CPU (docs/benchmarks.md). These fill the same models from
/// named columns, so ``ClaimModel/toDomain(lines:)`` stays the one mapping to the domain.
extension ClaimModel {
    /// The columns ``init(row:)`` reads.
    static let columns: [String] = [
        "id", "intake_key", "identifier_system", "identifier_value", "resource_id", "use", "patient_reference",
        "payer", "provider", "date_of_service", "currency", "billed_total_minor", "approved_total_minor", "outcome",
        "diagnoses", "findings", "bundle", "created_at",
    ]

    /// ``columns`` without the bundle, for lists that never send or read it (the denial queue: its
    /// bundles held 5,000 claims' JSON per request).
    static var columnsWithoutBundle: [String] { columns.filter { $0 != "bundle" } }

    /// What a list shows of each claim (``ClaimSummaryDTO``): no bundle, diagnoses or findings.
    static let summaryColumns: [String] = [
        "id", "identifier_value", "use", "payer", "provider", "patient_reference", "date_of_service", "currency",
        "billed_total_minor", "approved_total_minor", "outcome", "created_at",
    ]

    /// A claim from a row holding ``columns`` or ``summaryColumns`` — the columns the row holds
    /// are read, the others left unset (such a model is read from, never saved).
    /// - Throws: `DecodingError` when a column holds another type.
    convenience init(row: any SQLRow) throws {
        self.init()
        func has(_ column: String) -> Bool { row.contains(column: column) }
        if has("id") { id = try row.decode(column: "id", as: UUID.self) }
        if has("intake_key") { intakeKey = try row.decode(column: "intake_key", as: String.self) }
        if has("identifier_system") { identifierSystem = try row.decode(column: "identifier_system", as: String?.self) }
        if has("identifier_value") { identifierValue = try row.decode(column: "identifier_value", as: String.self) }
        if has("resource_id") { resourceID = try row.decode(column: "resource_id", as: String?.self) }
        if has("use") { use = try row.decode(column: "use", as: String.self) }
        if has("patient_reference") { patientReference = try row.decode(column: "patient_reference", as: String.self) }
        if has("payer") { payer = try row.decode(column: "payer", as: String.self) }
        if has("provider") { provider = try row.decode(column: "provider", as: String.self) }
        if has("date_of_service") { dateOfService = try row.decode(column: "date_of_service", as: String.self) }
        if has("currency") { currency = try row.decode(column: "currency", as: String.self) }
        if has("billed_total_minor") { billedTotalMinor = try row.decode(column: "billed_total_minor", as: Int64.self) }
        if has("approved_total_minor") {
            approvedTotalMinor = try row.decode(column: "approved_total_minor", as: Int64?.self)
        }
        if has("outcome") { outcome = try row.decode(column: "outcome", as: String.self) }
        if has("diagnoses") { diagnoses = try row.decode(column: "diagnoses", as: String.self) }
        if has("findings") { findings = try row.decode(column: "findings", as: String.self) }
        if has("bundle") { bundle = try row.decode(column: "bundle", as: String.self) }
        if has("created_at") { createdAt = try row.decode(column: "created_at", as: Date?.self) }
    }

    /// The claim `id` with its lines (two statements), or `nil` when there is none.
    static func read(_ id: UUID, on database: any SQLDatabase) async throws -> (ClaimModel, [ClaimLineModel])? {
        guard
            let row = try await database.select().columns(columns.map { SQLColumn($0) }).from(schema)
                .where("id", .equal, id).first()
        else { return nil }
        return (try ClaimModel(row: row), try await lines(of: [id], on: database)[id, default: []])
    }

    /// The lines of the claims `ids`, by claim, each in sequence order (one statement per 500 claims).
    static func lines(of ids: [UUID], on database: any SQLDatabase) async throws -> [UUID: [ClaimLineModel]] {
        var lines: [UUID: [ClaimLineModel]] = [:]
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            for row in try await database.select().columns(ClaimLineModel.columns.map { SQLColumn($0) })
                .from(ClaimLineModel.schema).where("claim_id", .in, chunk).orderBy("claim_id").orderBy("sequence")
                .all()
            {
                let line = try ClaimLineModel(row: row)
                lines[line.$claim.id, default: []].append(line)
            }
        }
        return lines
    }

    /// Inserts a new claim (``init(_:)``) and its lines, setting its `created_at` and `updated_at`
    /// to `now` — two statements, run by the caller in one transaction (intake: Fluent's `create`
    /// walked each model by reflection).
    /// - Throws: what the database throws (a duplicate `intake_key` is a constraint failure).
    static func insert(
        _ claim: ClaimModel, lines: [ClaimLineModel], at now: Date, on database: any SQLDatabase
    ) async throws {
        claim.createdAt = now
        claim.updatedAt = now
        try await database.insert(into: schema).columns(columns + ["updated_at"])
            .values(
                claim.id, claim.intakeKey, claim.identifierSystem, claim.identifierValue, claim.resourceID, claim.use,
                claim.patientReference, claim.payer, claim.provider, claim.dateOfService, claim.currency,
                claim.billedTotalMinor, claim.approvedTotalMinor, claim.outcome, claim.diagnoses, claim.findings,
                claim.bundle, now, now
            ).run()
        guard !lines.isEmpty else { return }
        let insert = database.insert(into: ClaimLineModel.schema).columns(ClaimLineModel.columns)
        for line in lines {
            insert.values(
                line.id, line.$claim.id, line.sequence, line.submittedSequence, line.serviceSystem, line.serviceCode,
                line.serviceDisplay, line.quantity, line.currency, line.unitPriceMinor, line.netMinor,
                line.approvedMinor, line.adjudicationReasons)
        }
        try await insert.run()
    }

    /// The id of the claim taken in with `intakeKey`, or `nil`.
    static func id(intakeKey: String, on database: any SQLDatabase) async throws -> UUID? {
        try await database.select().column("id").from(schema).where("intake_key", .equal, intakeKey).limit(1)
            .first()?.decode(column: "id", as: UUID.self)
    }

    /// The outcome column of claim `id`, or `nil` when there is no such claim.
    static func outcome(of id: UUID, on database: any SQLDatabase) async throws -> String? {
        try await database.select().column("outcome").from(schema).where("id", .equal, id).first()?
            .decode(column: "outcome", as: String.self)
    }
}

extension ClaimLineModel {
    /// The columns ``init(row:)`` reads.
    static let columns: [String] = [
        "id", "claim_id", "sequence", "submitted_sequence", "service_system", "service_code", "service_display",
        "quantity", "currency", "unit_price_minor", "net_minor", "approved_minor", "adjudication_reasons",
    ]

    /// A line from a row holding ``columns``.
    /// - Throws: `DecodingError` when a column is missing or of another type.
    convenience init(row: any SQLRow) throws {
        self.init()
        id = try row.decode(column: "id", as: UUID.self)
        $claim.id = try row.decode(column: "claim_id", as: UUID.self)
        sequence = try row.decode(column: "sequence", as: Int.self)
        submittedSequence = try row.decode(column: "submitted_sequence", as: Int?.self)
        serviceSystem = try row.decode(column: "service_system", as: String?.self)
        serviceCode = try row.decode(column: "service_code", as: String.self)
        serviceDisplay = try row.decode(column: "service_display", as: String?.self)
        quantity = try row.decode(column: "quantity", as: String.self)
        currency = try row.decode(column: "currency", as: String.self)
        unitPriceMinor = try row.decode(column: "unit_price_minor", as: Int64.self)
        netMinor = try row.decode(column: "net_minor", as: Int64.self)
        approvedMinor = try row.decode(column: "approved_minor", as: Int64?.self)
        adjudicationReasons = try row.decode(column: "adjudication_reasons", as: String?.self)
    }
}
