import Foundation
import HCX
import Vapor

extension HCXAcknowledgement {
    /// This acknowledgement as an HTTP response: 202 without an error, else `status`.
    func response(status: HTTPResponseStatus = .badRequest) throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(
            status: error == nil ? .accepted : status, headers: headers,
            body: .init(data: try JSONEncoder().encode(self)))
    }
}
