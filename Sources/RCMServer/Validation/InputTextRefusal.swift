import Vapor

/// A request whose body, path or query holds text that ``RCMCore/InputText`` refuses: answered 422
/// (body) or 400 (path, query) with one field error per string, and nothing is written.
/// An `AbortError`, so that the audit entry of a refused request carries its status.
struct InputTextRefusal: AbortError, CustomStringConvertible {
    var status: HTTPResponseStatus = .unprocessableEntity
    let errors: [ProblemDetails.FieldError]

    var reason: String { description }

    var description: String {
        errors.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
    }

    var problem: ProblemDetails {
        ProblemDetails(
            status: status, detail: "the request holds text RCM does not accept: \(description)", errors: errors)
    }
}
