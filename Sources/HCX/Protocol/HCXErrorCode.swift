/// An HCX protocol error code (`ERR_*`), as sent in `error.code` of a gateway answer or in
/// `x-hcx-error_details.code` (hcx-specs v0.7 error-descriptions; docs reference/hcx-protocol.md §4.2).
///
/// A struct rather than an enum: gateways emit codes beyond the spec's list
/// (`ERR_MANDATORY_HEADERFIELD_MISSING`, …) and clients must carry them through.
public struct HCXErrorCode: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let accessDenied = HCXErrorCode(rawValue: "ERR_ACCESS_DENIED")
    public static let invalidPayload = HCXErrorCode(rawValue: "ERR_INVALID_PAYLOAD")
    public static let invalidSender = HCXErrorCode(rawValue: "ERR_INVALID_SENDER")
    public static let invalidRecipient = HCXErrorCode(rawValue: "ERR_INVALID_RECIPIENT")
    public static let mandatoryHeaderMissing = HCXErrorCode(rawValue: "ERR_MANDATORY_HEADER_MISSING")
    /// What the Swasth gateway actually emits for a missing header (hcx-platform `api-gateway` `ErrorCodes`).
    public static let mandatoryHeaderFieldMissing = HCXErrorCode(rawValue: "ERR_MANDATORY_HEADERFIELD_MISSING")
    /// Sender and recipient are the same participant (hcx-platform `api-gateway` `ErrorCodes`).
    public static let invalidSenderAndRecipient = HCXErrorCode(rawValue: "ERR_INVALID_SENDER_AND_RECIPIENT")
    public static let invalidAPICallID = HCXErrorCode(rawValue: "ERR_INVALID_API_CALL_ID")
    public static let invalidCorrelationID = HCXErrorCode(rawValue: "ERR_INVALID_CORRELATION_ID")
    public static let invalidTimestamp = HCXErrorCode(rawValue: "ERR_INVALID_TIMESTAMP")
    public static let invalidStatus = HCXErrorCode(rawValue: "ERR_INVALID_STATUS")
    public static let invalidWorkflowID = HCXErrorCode(rawValue: "ERR_INVALID_WORKFLOW_ID")
    public static let recipientNotAvailable = HCXErrorCode(rawValue: "ERR_RECIPIENT_NOT_AVAILABLE")
    public static let serviceUnavailable = HCXErrorCode(rawValue: "ERR_SERVICE_UNAVAILABLE")
    public static let invalidEncryption = HCXErrorCode(rawValue: "ERR_INVALID_ENCRYPTION")
    public static let wrongDomainPayload = HCXErrorCode(rawValue: "ERR_WRONG_DOMAIN_PAYLOAD")
    public static let invalidDomainPayload = HCXErrorCode(rawValue: "ERR_INVALID_DOMAIN_PAYLOAD")
    public static let domainProcessing = HCXErrorCode(rawValue: "ERR_DOMAIN_PROCESSING")

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
