import FHIR
import Foundation

/// The HCX protocol headers of one message, carried in the JWE protected header (hcx-specs v0.7
/// message-structure; docs reference/hcx-protocol.md §2).
public struct HCXHeaders: Sendable, Hashable {
    /// `x-hcx-sender_code`: participant code of the sender.
    public var senderCode: String
    /// `x-hcx-recipient_code`: participant code of the recipient.
    public var recipientCode: String
    /// `x-hcx-api_call_id`: unique per HTTP call (UUID text).
    public var apiCallID: String
    /// `x-hcx-correlation_id`: one per request/callback cycle (UUID text).
    public var correlationID: String
    /// `x-hcx-workflow_id`: optional, repeated on every message of a business workflow.
    public var workflowID: String?
    /// `x-hcx-timestamp`: ISO 8601 with offset (see ``HCXTimestamp``).
    public var timestamp: String
    /// `x-hcx-status`: required on `on_*` callbacks.
    public var status: HCXStatus?
    /// `x-hcx-error_details` `{code, message, trace}` on error responses.
    public var errorDetails: [String: JSONValue]?

    /// Headers for a new request: fresh `api_call_id`, the given correlation id.
    public init(
        senderCode: String, recipientCode: String, apiCallID: String = UUID().uuidString.lowercased(),
        correlationID: String, workflowID: String? = nil, timestamp: String, status: HCXStatus? = nil,
        errorDetails: [String: JSONValue]? = nil
    ) {
        self.senderCode = senderCode
        self.recipientCode = recipientCode
        self.apiCallID = apiCallID
        self.correlationID = correlationID
        self.workflowID = workflowID
        self.timestamp = timestamp
        self.status = status
        self.errorDetails = errorDetails
    }

    /// Reads the headers from a decoded protected header.
    /// - Throws: ``HCXProtocolError`` with `ERR_MANDATORY_HEADER_MISSING` naming the first missing
    ///   mandatory header (sender, recipient, api_call_id, correlation_id, timestamp), or
    ///   `ERR_INVALID_STATUS` for an unknown `x-hcx-status`.
    public init(protectedHeader header: [String: JSONValue]) throws {
        func required(_ name: String) throws -> String {
            guard let value = header[name]?.stringValue, !value.isEmpty else {
                throw HCXProtocolError(.mandatoryHeaderMissing, "\(name) is missing or empty")
            }
            return value
        }
        senderCode = try required(Key.senderCode)
        recipientCode = try required(Key.recipientCode)
        apiCallID = try required(Key.apiCallID)
        correlationID = try required(Key.correlationID)
        timestamp = try required(Key.timestamp)
        workflowID = header[Key.workflowID]?.stringValue
        if let statusText = header[Key.status]?.stringValue {
            guard let status = HCXStatus(rawValue: statusText) else {
                throw HCXProtocolError(.invalidStatus, "\(Key.status) '\(statusText)' is not an HCX status")
            }
            self.status = status
        }
        if case .object(let details)? = header[Key.errorDetails] { errorDetails = details }
    }

    /// Checks `x-hcx-timestamp` as the gateway does: it must parse (ISO 8601 with offset, or epoch
    /// milliseconds) and must not be in the future beyond `allowedSkewSeconds` of clock difference
    /// (hcx-platform `DateTimeUtils`; docs reference/hcx-protocol.md §2.2).
    /// - Throws: ``HCXProtocolError`` with `ERR_INVALID_TIMESTAMP`.
    public func checkTimestamp(now: Date, allowedSkewSeconds: TimeInterval = 60) throws {
        guard let date = HCXTimestamp.date(from: timestamp) else {
            throw HCXProtocolError(.invalidTimestamp, "\(Key.timestamp) '\(timestamp)' is not ISO 8601 with an offset")
        }
        guard date <= now.addingTimeInterval(allowedSkewSeconds) else {
            throw HCXProtocolError(.invalidTimestamp, "\(Key.timestamp) '\(timestamp)' is in the future")
        }
    }

    /// The headers as protected-header members (`x-hcx-*` names).
    public var protectedHeader: [String: JSONValue] {
        var header: [String: JSONValue] = [
            Key.senderCode: .string(senderCode), Key.recipientCode: .string(recipientCode),
            Key.apiCallID: .string(apiCallID), Key.correlationID: .string(correlationID),
            Key.timestamp: .string(timestamp),
        ]
        if let workflowID { header[Key.workflowID] = .string(workflowID) }
        if let status { header[Key.status] = .string(status.rawValue) }
        if let errorDetails { header[Key.errorDetails] = .object(errorDetails) }
        return header
    }

    /// Headers for the `on_*` answer to this message: sender and recipient swapped, same
    /// correlation and workflow ids, a new api_call_id (HCX Java SDK `HCXOutgoingRequest.createHeader`).
    public func response(status: HCXStatus, timestamp: String) -> HCXHeaders {
        HCXHeaders(
            senderCode: recipientCode, recipientCode: senderCode, correlationID: correlationID,
            workflowID: workflowID, timestamp: timestamp, status: status)
    }

    /// Header names.
    public enum Key {
        public static let senderCode = "x-hcx-sender_code"
        public static let recipientCode = "x-hcx-recipient_code"
        public static let apiCallID = "x-hcx-api_call_id"
        public static let correlationID = "x-hcx-correlation_id"
        public static let workflowID = "x-hcx-workflow_id"
        public static let timestamp = "x-hcx-timestamp"
        public static let status = "x-hcx-status"
        public static let errorDetails = "x-hcx-error_details"
    }
}
