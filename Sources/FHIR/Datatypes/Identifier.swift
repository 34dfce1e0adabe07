/// FHIR R4 `Identifier`: a business identifier (namespace `system` + `value`).
public struct Identifier: Hashable, Sendable, Codable {
    public var use: String?
    public var type: CodeableConcept?
    public var system: String?
    public var value: String?

    public init(system: String? = nil, value: String? = nil) {
        self.system = system
        self.value = value
    }
}
