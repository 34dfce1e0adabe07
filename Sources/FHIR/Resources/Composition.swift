/// FHIR R4 `Composition`: the head of the older HCX `document` bundles (hcx-specs v0.7).
public struct Composition: Hashable, Sendable, Codable {
    /// A section and the entries it points at.
    public struct Section: Hashable, Sendable, Codable {
        public var title: String?
        public var entry: [Reference]?
    }

    public var resourceType: String = "Composition"
    public var id: String?
    public var status: String?
    public var type: CodeableConcept?
    public var subject: Reference?
    /// FHIR `dateTime`.
    public var date: String?
    public var title: String?
    public var section: [Section]?
}
