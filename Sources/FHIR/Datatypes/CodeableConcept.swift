/// FHIR R4 `CodeableConcept`: codings for one concept plus plain text.
public struct CodeableConcept: Hashable, Sendable, Codable {
    public var coding: [Coding]?
    public var text: String?

    public init(coding: [Coding]? = nil, text: String? = nil) {
        self.coding = coding
        self.text = text
    }

    /// A concept with one coding.
    public init(system: String, code: String, display: String? = nil) {
        self.init(coding: [Coding(system: system, code: code, display: display)])
    }
}
