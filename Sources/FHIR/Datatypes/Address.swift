/// FHIR R4 `Address`: street lines, city, state (US: the two-letter USPS code), postal code and
/// country (ISO 3166 code or name), as sent.
public struct Address: Hashable, Sendable, Codable {
    /// `home`, `work`, `temp`, `old` or `billing`.
    public var use: String?
    public var line: [String]?
    public var city: String?
    public var state: String?
    public var postalCode: String?
    public var country: String?

    public init(
        use: String? = nil, line: [String]? = nil, city: String? = nil, state: String? = nil,
        postalCode: String? = nil, country: String? = nil
    ) {
        self.use = use
        self.line = line
        self.city = city
        self.state = state
        self.postalCode = postalCode
        self.country = country
    }
}
