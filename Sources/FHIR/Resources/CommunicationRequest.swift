/// FHIR R4 `CommunicationRequest`: a payer's request for more information (HCX
/// `/communication/request`).
public struct CommunicationRequest: Hashable, Sendable, Codable {
    public var resourceType: String = "CommunicationRequest"
    public var id: String?
    public var identifier: [Identifier]?
    public var status: String?
    public var subject: Reference?
    public var about: [Reference]?
    public var payload: [Communication.Payload]?
    /// FHIR `dateTime`.
    public var authoredOn: String?
    public var requester: Reference?
    public var recipient: [Reference]?
}
