/// A code from a code system as billed on a claim: a diagnosis, a procedure, or a product or
/// service (FHIR R4 `Coding`: system URI, code, optional display text).
///
/// Examples: ICD-10-CM `http://hl7.org/fhir/sid/icd-10-cm` `E11.9`; an IRDAI package code
/// `https://irdai.gov.in/package-code` `E101021`.
public struct BillingCode: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The code system URI; `nil` when the submitter sent only text.
    public let system: String?
    /// The code as sent.
    public let code: String
    /// The human-readable label the submitter sent, if any.
    public let display: String?

    /// Creates a code.
    public init(system: String?, code: String, display: String? = nil) {
        self.system = system
        self.code = code
        self.display = display
    }

    public var description: String { system.map { "\($0)#\(code)" } ?? code }
}
