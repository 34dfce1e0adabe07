import Vapor

/// A request refused for one field's value (a query parameter out of range, an unknown enumeration
/// value): answered with the status given (400 for a query) as problem+json naming the field
/// (`query.from`) and what is wrong with it.
struct FieldRefusal: AbortError, CustomStringConvertible {
    var status: HTTPResponseStatus = .badRequest
    let field: String
    let message: String

    var reason: String { description }

    var description: String { "\(field): \(message)" }

    var problem: ProblemDetails {
        ProblemDetails(status: status, detail: description, errors: [.init(field: field, message: message)])
    }
}
