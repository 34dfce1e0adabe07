/// FHIR R4 `Communication`: what a provider sends in answer to a payer's request for information
/// (HCX `/communication/on_request`).
public struct Communication: Hashable, Sendable, Codable {
    /// One piece of content.
    public struct Payload: Hashable, Sendable, Codable {
        public var contentString: String?
        public var contentAttachment: Attachment?
        public var contentReference: Reference?
    }

    public var resourceType: String = "Communication"
    public var id: String?
    public var identifier: [Identifier]?
    public var basedOn: [Reference]?
    public var status: String?
    public var category: [CodeableConcept]?
    public var subject: Reference?
    /// FHIR `dateTime`.
    public var sent: String?
    public var recipient: [Reference]?
    public var sender: Reference?
    public var payload: [Payload]?
}
