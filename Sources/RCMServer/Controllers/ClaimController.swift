import Foundation
import RCMCore
import RevenueCycle
import Vapor
import Workflow

/// `GET /api/v1/claims`: claims, newest first, filtered by `outcome` (one or several,
/// comma-separated), `payer`, date of service `from`/`to` (`YYYY-MM-DD`, inclusive), billed
/// amount `min_billed`/`max_billed` (decimal, in `currency`, default INR), `limit` (default 50, at
/// most 500) and `cursor` (the previous page's `nextCursor`).
/// `GET /api/v1/claims/{id}`: one claim with lines, findings, eligibility answers, payments, the
/// denial (when denied or stopped) and the workflow's status history. Bad filters answer 400
/// naming the parameter; an unknown id 404.
struct ClaimController: RouteCollection {
    let browser: @Sendable (Request) -> ClaimBrowser

    func boot(routes: any RoutesBuilder) throws {
        let claims = routes.grouped("api", "v1", "claims")
        claims.get(use: list)
        claims.get(":id", use: show)
    }

    @Sendable func list(request: Request) async throws -> ClaimPageDTO {
        do {
            return try await browser(request).page(
                ClaimBrowser.Query(
                    outcome: request.query[String.self, at: "outcome"], payer: request.query[String.self, at: "payer"],
                    from: request.query[String.self, at: "from"], to: request.query[String.self, at: "to"],
                    currency: request.query[String.self, at: "currency"],
                    minimumBilled: request.query[String.self, at: "min_billed"],
                    maximumBilled: request.query[String.self, at: "max_billed"],
                    cursor: request.query[String.self, at: "cursor"]),
                limit: try QueryLimit.read(request, default: 50, maximum: 500))
        } catch let error as ClaimQueryError {
            throw Abort(.badRequest, reason: error.description)
        }
    }

    @Sendable func show(request: Request) async throws -> ClaimDetailDTO {
        let text = request.parameters.get("id") ?? ""
        guard let id = UUID(uuidString: text), let detail = try await browser(request).detail(id) else {
            throw Abort(.notFound, reason: "no claim \(text.prefix(40).lowercased())")
        }
        request.auditResourceID = detail.claim.id
        return detail
    }
}
