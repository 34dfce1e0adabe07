/// FHIR R4 `Attachment`: content by value (`data`, base64) or by `url`.
public struct Attachment: Hashable, Sendable, Codable {
    public var contentType: String?
    /// Base64 content.
    public var data: String?
    public var url: String?
    /// Size in bytes.
    public var size: Int?
    public var hash: String?
    public var title: String?
    /// FHIR `dateTime`.
    public var creation: String?
}
