/// FHIR R4 `Reference`: a link to another resource, by literal reference and/or identifier.
public struct Reference: Hashable, Sendable, Codable {
    /// Literal reference: `Patient/RVH1003`, `urn:uuid:…`, or an absolute URL.
    public var reference: String?
    public var type: String?
    public var identifier: Identifier?
    public var display: String?

    public init(reference: String? = nil, identifier: Identifier? = nil, display: String? = nil) {
        self.reference = reference
        self.identifier = identifier
        self.display = display
    }

    /// The best short text naming the target: the reference, else the identifier value, else the
    /// display.
    public var label: String? { reference ?? identifier?.value ?? display }
}
