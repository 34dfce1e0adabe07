import Vapor

/// An RFC 9457 problem details body (`application/problem+json`).
public struct ProblemDetails: Content, Sendable, Equatable {
    /// A field-level error.
    public struct FieldError: Content, Sendable, Equatable {
        /// The field, as a JSON or FHIR path.
        public let field: String
        public let message: String
    }

    /// A URI naming the problem type; `about:blank` when the status says it all.
    public var type: String
    /// The HTTP status phrase or a short summary.
    public var title: String
    /// The HTTP status code.
    public var status: Int
    /// What went wrong in this occurrence.
    public var detail: String?
    /// Per-field errors, when the request body was at fault.
    public var errors: [FieldError]?

    public init(status: HTTPResponseStatus, detail: String?, type: String = "about:blank", errors: [FieldError]? = nil)
    {
        self.type = type
        self.title = status.reasonPhrase
        self.status = Int(status.code)
        self.detail = detail
        self.errors = errors
    }

    /// A response carrying this problem with the `application/problem+json` media type.
    public func response() throws -> Response {
        let response = Response(status: HTTPResponseStatus(statusCode: status))
        try response.content.encode(self, as: .json)
        response.headers.contentType = HTTPMediaType(type: "application", subType: "problem+json")
        return response
    }
}
