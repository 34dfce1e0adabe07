/// FHIR R4 `Annotation` (and the shape of `ClaimResponse.processNote`): text with optional author
/// and time.
public struct Annotation: Hashable, Sendable, Codable {
    public var text: String
    /// FHIR `dateTime`.
    public var time: String?
}
