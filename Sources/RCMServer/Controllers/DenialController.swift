import Foundation
import RCMCore
import RevenueCycle
import Vapor

/// `GET /api/v1/denials?category=&limit=`: the denial work queue — denied and stopped claims with
/// their category and next action, the most money at stake first, then the oldest.
struct DenialController: RouteCollection {
    let queue: DenialQueue

    func boot(routes: any RoutesBuilder) throws {
        routes.grouped("api", "v1", "denials").get(use: list)
    }

    @Sendable func list(request: Request) async throws -> [DenialDTO] {
        var category: DenialCategory?
        if let text = request.query[String.self, at: "category"] {
            guard let parsed = DenialCategory(rawValue: text.lowercased()) else {
                throw Abort(
                    .badRequest,
                    reason:
                        "category: '\(text)' is not one of \(DenialCategory.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            category = parsed
        }
        let limit = try QueryLimit.read(request, default: 100, maximum: 1000)
        return try await queue.cases(category: category, limit: limit).map(DenialDTO.init)
    }
}
