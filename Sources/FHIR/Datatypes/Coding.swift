/// FHIR R4 `Coding`: a code from a code system.
public struct Coding: Hashable, Sendable, Codable {
    public var system: String?
    public var version: String?
    public var code: String?
    public var display: String?

    public init(system: String? = nil, code: String? = nil, display: String? = nil) {
        self.system = system
        self.code = code
        self.display = display
    }
}
