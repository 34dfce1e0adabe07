/// FHIR R4 `Patient` (NRCeS profile in HCX): identifiers, name, gender, birth date, addresses.
/// (A `RelatedPerson` — a subscriber who is not the patient — reads the same way.)
public struct Patient: Hashable, Sendable, Codable {
    /// A human name (`HumanName`).
    public struct Name: Hashable, Sendable, Codable {
        public var text: String?
        public var family: String?
        public var given: [String]?
    }

    public var resourceType: String = "Patient"
    public var id: String?
    public var meta: Meta?
    public var identifier: [Identifier]?
    public var name: [Name]?
    /// `male`, `female`, `other` or `unknown`.
    public var gender: String?
    /// FHIR `date` (no time, no zone).
    public var birthDate: String?
    public var address: [Address]?
}
