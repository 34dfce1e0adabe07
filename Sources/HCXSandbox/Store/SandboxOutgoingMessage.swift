import FHIR
import Foundation
import HCX

/// A message the sandbox payer starts, kept until sent: its protocol headers (fixed when it is
/// queued, so a re-send keeps its api_call_id) and its FHIR resource.
struct SandboxOutgoingMessage: Codable, Sendable {
    struct Headers: Codable, Sendable {
        var senderCode: String
        var recipientCode: String
        var apiCallID: String
        var correlationID: String
        var workflowID: String?
    }

    let operation: HCXOperation
    let headers: Headers
    let resource: JSONValue

    init(operation: HCXOperation, headers: HCXHeaders, resource: some Encodable) throws {
        self.operation = operation
        self.headers = Headers(
            senderCode: headers.senderCode, recipientCode: headers.recipientCode, apiCallID: headers.apiCallID,
            correlationID: headers.correlationID, workflowID: headers.workflowID)
        self.resource = try JSONValue(encoding: resource)
    }

    init(json: String) throws {
        self = try JSONDecoder().decode(SandboxOutgoingMessage.self, from: Data(json.utf8))
    }

    func json() throws -> String { String(decoding: try JSONEncoder().encode(self), as: UTF8.self) }

    /// The headers with a fresh timestamp.
    func hcxHeaders(at date: Date) -> HCXHeaders {
        HCXHeaders(
            senderCode: headers.senderCode, recipientCode: headers.recipientCode, apiCallID: headers.apiCallID,
            correlationID: headers.correlationID, workflowID: headers.workflowID,
            timestamp: HCXTimestamp.string(from: date))
    }
}
