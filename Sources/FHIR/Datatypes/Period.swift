/// FHIR R4 `Period`: start and end as FHIR `dateTime` text (kept as sent: a date-time's offset
/// or a bare date must not be reinterpreted).
public struct Period: Hashable, Sendable, Codable {
    public var start: String?
    public var end: String?

    public init(start: String? = nil, end: String? = nil) {
        self.start = start
        self.end = end
    }
}
