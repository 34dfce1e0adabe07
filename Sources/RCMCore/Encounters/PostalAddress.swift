/// A postal address as an encounter gives it (FHIR `Address`): street lines, city, state (in the
/// US the two-letter USPS code, which an X12 837P requires), postal code and country (ISO 3166).
public struct PostalAddress: Hashable, Sendable {
    public let lines: [String]
    public let city: String?
    public let state: String?
    public let postalCode: String?
    public let country: String?

    public init(lines: [String], city: String?, state: String?, postalCode: String?, country: String?) {
        self.lines = lines
        self.city = city
        self.state = state
        self.postalCode = postalCode
        self.country = country
    }
}
