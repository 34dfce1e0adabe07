import Foundation
import HCX
import Vapor

/// Errors from the sandbox's routes as the gateway answers them — `{timestamp, error: {code,
/// message}}` with an HCX code — instead of Vapor's default body: 413 `ERR_INVALID_PAYLOAD`,
/// 401/403 `ERR_ACCESS_DENIED`, 503 `ERR_SERVICE_UNAVAILABLE`, other 4xx `ERR_INVALID_REQUEST`,
/// 5xx `INTERNAL_SERVER_ERROR` (hcx-platform `api-gateway` `ErrorCodes`).
struct SandboxErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let status = (error as? any AbortError)?.status ?? .internalServerError
            let reason = (error as? any AbortError)?.reason ?? "the sandbox failed"
            let code =
                switch status.code {
                case 413: HCXErrorCode.invalidPayload
                case 401, 403: HCXErrorCode.accessDenied
                case 503: HCXErrorCode.serviceUnavailable
                case 400..<500: HCXErrorCode(rawValue: "ERR_INVALID_REQUEST")
                default: HCXErrorCode(rawValue: "INTERNAL_SERVER_ERROR")
                }
            if status.code >= 500 { request.logger.error("sandbox route failed", metadata: ["error": "\(error)"]) }
            return try HCXAcknowledgement(
                timestamp: Date(), correlationID: nil, apiCallID: nil, error: .init(code: code, message: reason)
            ).response(status: status)
        }
    }
}
