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
