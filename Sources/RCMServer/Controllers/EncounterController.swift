import FHIR
import Foundation
import RCMCore
import RevenueCycle
import Vapor

/// `POST /api/v1/encounters`: one encounter of RCM's format, one HCX ClaimRequestBundle, or a FHIR
/// clinical bundle holding one Encounter, priced by the chargemaster (JSON, up to
/// ``RequestLimits/documentBody``, 2 MB). The claim is taken in once per intake key and its claim workflow queued for the
/// workers: 202 with the claim and workflow ids (the same answer, `"duplicate": true`, when the
/// same input comes again); 422 with field-level findings (RFC 9457 `errors`) when it cannot be
/// taken in; 400 when the body is not JSON. Batches go through `rcm process`.
struct EncounterController: RouteCollection {
    let intake: ClaimIntake
    let reader: IntakeReader

    struct Accepted: Content {
        let claimID: String
        let workflowID: String
        let identifier: String
        let duplicate: Bool
        let workflowStatus: String
        let billed: String
        let currency: String
        let warnings: [ProblemDetails.FieldError]
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.grouped("api", "v1", "encounters").on(
            .POST, body: .collect(maxSize: RequestLimits.documentBody), use: create)
    }

    @Sendable func create(request: Request) async throws -> Response {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: Data(buffer: request.body.data ?? ByteBuffer()))
        } catch {
            throw Abort(.badRequest, reason: "the body is not JSON: \(FHIRError.describe(error))")
        }
        if case .array = json {
            throw Abort(
                .unprocessableEntity,
                reason: "send one encounter or claim bundle per request (rcm process takes batches)")
        }
        let entries = reader.entries(of: json)
        guard entries.count == 1 else {
            throw Abort(
                .unprocessableEntity,
                reason: "the clinical bundle holds \(entries.count) encounters "
                    + "(\(entries.compactMap(\.position).joined(separator: ", "))): send one per request (rcm process takes them all)"
            )
        }
        let submission: ClaimSubmission
        do {
            submission = try entries[0].result.get()
        } catch let error as ClaimIntakeError {
            return try ProblemDetails(
                status: .unprocessableEntity, detail: "the input cannot be taken in",
                errors: error.findings.filter { $0.severity == .error }.map {
                    ProblemDetails.FieldError(field: $0.field, message: $0.message)
                }
            ).response()
        } catch {
            throw Abort(.unprocessableEntity, reason: "\(error)")
        }
        let (id, created, run) = try await intake.takeInAndQueue(submission)
        request.auditResourceID = id.description
        request.auditChanges = created ? ["claim": AuditChange(before: nil, after: id.description)] : nil
        return try await Accepted(
            claimID: id.description, workflowID: run.id.rawValue, identifier: submission.claim.identifier.value,
            duplicate: !created, workflowStatus: run.status.rawValue, billed: submission.claim.billedTotal.amountText,
            currency: submission.claim.currency.code,
            warnings: submission.claim.findings.filter { $0.severity == .warning }.map {
                ProblemDetails.FieldError(field: $0.field, message: $0.message)
            }
        ).encodeResponse(status: .accepted, for: request)
    }
}
