import Fluent
import Foundation
import RCMCore
import RevenueCycle
import SQLKit

/// ``RevenueCycle/X12SubmissionLog`` over SQL (`x12_submissions`, migration 0017).
struct FluentX12SubmissionLog: X12SubmissionLog {
    static let schema = "x12_submissions"
    let database: any Database

    func submission(
        for claimID: ClaimID, kind: X12Submission.Kind, payer: String, patientControlNumber: String, at date: Date
    ) async throws -> X12Submission {
        try await DatabaseMetrics.measure("x12_submissions.submission") {
            // Numbered by the database (an identity column): the number exists, committed, before
            // any file carries it; a later call finds the first row (read first: on PostgreSQL an
            // insert that meets the conflict still uses up a number).
            let claim = SQLBinaryExpression(
                SQLBinaryExpression(SQLIdentifier("claim_id"), .equal, SQLBind(claimID.rawValue)), .and,
                SQLBinaryExpression(SQLIdentifier("kind"), .equal, SQLBind(kind.rawValue)))
            if let recorded = try await rows(where: claim).first { return recorded }
            try await database.sql.raw(
                """
                INSERT INTO \(ident: Self.schema) (claim_id, kind, payer, patient_control_number, created_at)
                VALUES (\(bind: claimID.rawValue), \(bind: kind.rawValue), \(bind: payer), \(bind: patientControlNumber),
                  \(bind: date))
                ON CONFLICT (claim_id, kind) DO NOTHING
                """
            ).run()
            return try await rows(where: claim).first
                ?? { throw StoredDataError(column: "\(Self.schema).claim_id", value: "\(claimID)") }()
        }
    }

    func submissions(patientControlNumber: String) async throws -> [X12Submission] {
        try await DatabaseMetrics.measure("x12_submissions.byPatientControlNumber") {
            try await rows(
                where: SQLBinaryExpression(
                    SQLBinaryExpression(SQLIdentifier("patient_control_number"), .equal, SQLBind(patientControlNumber)),
                    .and,
                    SQLBinaryExpression(
                        SQLIdentifier("kind"), .equal, SQLBind(X12Submission.Kind.professionalClaim.rawValue))))
        }
    }

    func submission(controlNumber: Int) async throws -> X12Submission? {
        try await DatabaseMetrics.measure("x12_submissions.byControlNumber") {
            try await rows(
                where: SQLBinaryExpression(SQLIdentifier("control_number"), .equal, SQLBind(Int64(controlNumber)))
            ).first
        }
    }

    private func rows(where condition: any SQLExpression) async throws -> [X12Submission] {
        try await database.sql.select()
            .columns("control_number", "claim_id", "kind", "payer", "patient_control_number", "created_at")
            .from(Self.schema).where(condition).orderBy("control_number", .descending)
            .all().map { row in
                let kind = try row.decode(column: "kind", as: String.self)
                return X12Submission(
                    claimID: ClaimID(try row.decode(column: "claim_id", as: UUID.self)),
                    kind: try StoredDataError.require(X12Submission.Kind(rawValue: kind), "\(Self.schema).kind", kind),
                    controlNumber: Int(try row.decode(column: "control_number", as: Int64.self)),
                    payer: try row.decode(column: "payer", as: String.self),
                    patientControlNumber: try row.decode(column: "patient_control_number", as: String.self),
                    createdAt: try row.decode(column: "created_at", as: Date.self))
            }
    }
}
