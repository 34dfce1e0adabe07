import FHIR
import Foundation

/// The synchronous answer to an HCX call: HTTP 202 with `{timestamp, correlation_id, api_call_id}`,
/// or an error status with `error {code, message, trace}` added (hcx-platform `Response.java`;
/// docs reference/hcx-protocol.md §4.3).
public struct HCXAcknowledgement: Codable, Sendable, Hashable {
    /// The error part of a failed call.
    public struct ErrorDetail: Codable, Sendable, Hashable {
        public var code: HCXErrorCode
        public var message: String
        public var trace: String?

        public init(code: HCXErrorCode, message: String, trace: String? = nil) {
            self.code = code
            self.message = message
            self.trace = trace
        }
    }

    /// Epoch milliseconds (the gateway sends a number; the spec shows a string; both are read).
    public var timestamp: Int64
    public var correlationID: String?
    public var apiCallID: String?
    public var error: ErrorDetail?
    /// The answer of a synchronous API such as `/hcx/status` (`{sender_code, recipient_code,
    /// entity_type, protocol_status}`; hcx-specs v0.7 openapi `StatusResponseObject`).
    public var result: [String: JSONValue]?

    public init(
        timestamp: Date, correlationID: String?, apiCallID: String?, error: ErrorDetail? = nil,
        result: [String: JSONValue]? = nil
    ) {
        self.timestamp = Int64((timestamp.timeIntervalSince1970 * 1000).rounded())
        self.correlationID = correlationID
        self.apiCallID = apiCallID
        self.error = error
        self.result = result
    }

    enum CodingKeys: String, CodingKey {
        case timestamp
        case correlationID = "correlation_id"
        case apiCallID = "api_call_id"
        case error, result
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let number = try? container.decode(Int64.self, forKey: .timestamp) {
            timestamp = number
        } else if let text = try container.decodeIfPresent(String.self, forKey: .timestamp), let number = Int64(text) {
            timestamp = number
        } else {
            timestamp = 0
        }
        correlationID = try container.decodeIfPresent(String.self, forKey: .correlationID)
        apiCallID = try container.decodeIfPresent(String.self, forKey: .apiCallID)
        error = try container.decodeIfPresent(ErrorDetail.self, forKey: .error)
        result = try container.decodeIfPresent([String: JSONValue].self, forKey: .result)
    }
}
