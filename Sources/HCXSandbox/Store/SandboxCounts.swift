/// How often the sandbox saw and delivered messages of one correlation id or one api_call_id:
/// what a test needs to prove "submitted exactly once" or "delivered twice, posted once".
public struct SandboxCounts: Sendable, Hashable, Codable {
    /// Messages accepted (one per distinct api_call_id).
    public var accepted: Int
    /// Calls refused with an error code (including repeats refused as `ERR_INVALID_API_CALL_ID`).
    public var refused: Int
    /// Successful deliveries to recipients, duplicates included.
    public var deliveries: Int
    /// Accepted messages per operation label (`claim.submit`: 1).
    public var byOperation: [String: Int]
    /// Refusals per error code.
    public var refusalsByCode: [String: Int]

    enum CodingKeys: String, CodingKey {
        case accepted, refused, deliveries
        case byOperation = "by_operation"
        case refusalsByCode = "refusals_by_code"
    }
}
