import Foundation
import RCMCore
import Vapor

/// `GET /api/v1/codes/{system}?q=TEXT&limit=N`: search a code set (by code prefix, or by the words
/// of descriptions); `GET /api/v1/codes/{system}/{code}?date=YYYY-MM-DD`: look one code up for a
/// date of service. Systems: `icd-10-cm`, `icd-10-pcs`, `hcpcs`, `cpt`, `pos`.
struct CodeController: RouteCollection {
    let catalog: CodeSetCatalog

    func boot(routes: any RoutesBuilder) throws {
        let codes = routes.grouped("api", "v1", "codes")
        codes.get(":system", use: search)
        codes.get(":system", ":code", use: lookup)
    }

    private func system(_ request: Request) throws -> CodeSystem {
        let text = request.parameters.get("system") ?? ""
        do {
            return try NamedValue.parse(text, as: CodeSystem.self, name: "code system")
        } catch let error as NamedValueError {
            throw Abort(.notFound, reason: error.description)
        }
    }

    @Sendable func search(request: Request) async throws -> [CodeDTO] {
        let system = try system(request)
        guard let text = request.query[String.self, at: "q"], !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw Abort(.badRequest, reason: "q: give a code prefix or words to search for")
        }
        let limit = try QueryLimit.read(request, default: 25, maximum: 200)
        return catalog.search(system, text, limit: limit).map { CodeDTO($0, system: system) }
    }

    @Sendable func lookup(request: Request) async throws -> CodeDTO {
        let system = try system(request)
        var date: ServiceDate?
        if let text = request.query[String.self, at: "date"] {
            do {
                date = try ServiceDate(iso8601: text)
            } catch {
                throw Abort(.badRequest, reason: "date: '\(text)' is not a date (YYYY-MM-DD)")
            }
        }
        return CodeDTO(catalog.lookup(system, request.parameters.get("code") ?? "", on: date))
    }
}
