/// FHIR R4 `Meta`: profiles the resource claims to follow, and its last update instant.
public struct Meta: Hashable, Sendable, Codable {
    public var lastUpdated: String?
    public var profile: [String]?

    public init(lastUpdated: String? = nil, profile: [String]? = nil) {
        self.lastUpdated = lastUpdated
        self.profile = profile
    }
}
