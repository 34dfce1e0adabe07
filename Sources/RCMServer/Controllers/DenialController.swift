import FHIR
import Foundation
import RCMCore
import RevenueCycle
import Vapor

/// `GET /api/v1/denials?category=&limit=`: the denial work queue — denied and stopped claims with
/// their category and next action, the most money at stake first, then the oldest.
///
/// `POST /api/v1/denials/{claim id}/appeal`, `…/write-off` and `…/resubmit` act on one, with
/// `{"reason": "…"}` (required) and, for a resubmission, an optional `"correction"`: the corrected
/// claim as an HCX ClaimRequestBundle or an encounter of RCM's format (a resubmission's body up to
/// ``RequestLimits/documentBody``, the others ``RequestLimits/defaultBody``). Answers 200 with the action
/// recorded (a resubmission: 202 with the new claim and its workflow); 404 for an unknown claim;
/// 409 when the claim is not in the queue or already closed; 422 for a missing reason or a
/// correction that cannot be taken in (with its field-level findings).
struct DenialController: RouteCollection {
    let queue: DenialQueue
    let desk: DenialDesk

    struct ActionBody: Content {
        var reason: String?
        var correction: JSONValue?
    }

    func boot(routes: any RoutesBuilder) throws {
        let denials = routes.grouped("api", "v1", "denials")
        denials.get(use: list)
        denials.post(":id", "appeal") { request in
            try await act(request) { id, reason, actor, _ in
                (try await desk.appeal(id, reason: reason, actor: actor), nil)
            }
        }
        denials.post(":id", "write-off") { request in
            try await act(request) { id, reason, actor, _ in
                (try await desk.writeOff(id, reason: reason, actor: actor), nil)
            }
        }
        denials.on(.POST, ":id", "resubmit", body: .collect(maxSize: RequestLimits.documentBody)) { request in
            try await act(request) { id, reason, actor, correction in
                let (resolution, newID) = try await desk.resubmit(
                    id, reason: reason, actor: actor, correction: correction)
                return (resolution, newID)
            }
        }
    }

    /// A corrected claim (a FHIR Claim bundle or an encounter, as intake reads them) for a
    /// resubmission.
    /// - Throws: `Abort(.unprocessableEntity)` with "correction: " and intake's message.
    static func correction(_ json: JSONValue) throws -> ClaimSubmission {
        do { return try IntakeReader().submission(json).get() } catch let error as ClaimIntakeError {
            throw Abort(.unprocessableEntity, reason: "correction: \(error.description)")
        } catch {
            throw Abort(.unprocessableEntity, reason: "correction: \(error)")
        }
    }

    private func act(
        _ request: Request,
        _ action: @Sendable (ClaimID, String, String, ClaimSubmission?) async throws -> (DenialResolution, ClaimID?)
    ) async throws -> Response {
        guard let text = request.parameters.get("id"), let uuid = UUID(uuidString: text) else {
            throw Abort(.notFound, reason: "no claim \(request.parameters.get("id")?.prefix(40) ?? "")")
        }
        let body = try request.content.decode(ActionBody.self)
        let correction = try body.correction.map(Self.correction)
        let actor = request.principal?.actor ?? "api:\(request.remoteAddress?.ipAddress ?? "unknown")"
        do {
            let (resolution, newID) = try await action(ClaimID(uuid), body.reason ?? "", actor, correction)
            request.auditChanges = [
                "denial_action": AuditChange(before: nil, after: resolution.action.rawValue),
                "replacement_claim": AuditChange(before: nil, after: newID?.description),
            ].filter { $0.value.after != nil }
            return try await DenialResolutionDTO(resolution).encodeResponse(
                status: newID == nil ? .ok : .accepted, for: request)
        } catch let error as DenialResolutionError {
            throw Abort(error.status, reason: error.description)
        } catch let error as ClaimNotFound {
            throw Abort(.notFound, reason: error.description)
        } catch let error as ClaimIntakeError {
            throw Abort(.unprocessableEntity, reason: "correction: \(error.description)")
        }
    }

    @Sendable func list(request: Request) async throws -> [DenialDTO] {
        var category: DenialCategory?
        if let text = request.query[String.self, at: "category"] {
            do {
                category = try NamedValue.parse(text, as: DenialCategory.self, name: "category")
            } catch let error as NamedValueError {
                throw Abort(.badRequest, reason: error.description)
            }
        }
        let limit = try QueryLimit.read(request, default: 100, maximum: 1000)
        return try await queue.cases(category: category, limit: limit).map(DenialDTO.init)
    }
}
