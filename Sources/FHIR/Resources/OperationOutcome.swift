/// FHIR R4 `OperationOutcome`: errors and warnings about a request.
public struct OperationOutcome: Hashable, Sendable, Codable {
    /// One issue.
    public struct Issue: Hashable, Sendable, Codable {
        /// `fatal`, `error`, `warning` or `information`.
        public var severity: String
        /// An issue type code (`invalid`, `required`, `processing`, …).
        public var code: String
        public var details: CodeableConcept?
        public var diagnostics: String?
        /// FHIRPath expressions naming the elements at fault.
        public var expression: [String]?

        public init(severity: String, code: String, diagnostics: String?, expression: [String]?) {
            self.severity = severity
            self.code = code
            self.diagnostics = diagnostics
            self.expression = expression
        }
    }

    public var resourceType: String = "OperationOutcome"
    public var id: String?
    public var issue: [Issue]

    public init(issue: [Issue]) { self.issue = issue }
}
