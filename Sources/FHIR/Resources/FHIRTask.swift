/// FHIR R4 `Task` (HCX status requests and NHCX task bundles). Named `FHIRTask` so it does not
/// hide Swift's concurrency `Task` in modules that import FHIR.
public struct FHIRTask: Hashable, Sendable, Codable {
    public var resourceType: String = "Task"
    public var id: String?
    public var identifier: [Identifier]?
    public var status: String?
    /// `unknown`, `proposal`, `plan`, `order`, …
    public var intent: String?
    public var code: CodeableConcept?
    public var focus: Reference?
    /// FHIR `dateTime`.
    public var authoredOn: String?
}
