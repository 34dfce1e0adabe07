/// Something intake, coding or scrubbing noticed about a claim, with the field it concerns.
///
/// An ``Severity/error`` stops the claim before submission; a ``Severity/warning`` is recorded and
/// the claim goes on (docs DESIGN.md §4).
public struct ClaimFinding: Hashable, Sendable, Codable, CustomStringConvertible {
    /// How serious a finding is.
    public enum Severity: String, Sendable, Codable {
        /// The claim cannot go on until this is corrected.
        case error
        /// Recorded for the biller; the claim goes on.
        case warning
    }

    /// Error or warning.
    public let severity: Severity
    /// The field concerned, as a FHIR path (`Claim.item[2].unitPrice`).
    public let field: String
    /// What is wrong and what to do, in the biller's words.
    public let message: String

    /// Creates a finding.
    public init(_ severity: Severity, field: String, _ message: String) {
        self.severity = severity
        self.field = field
        self.message = message
    }

    public var description: String { "\(severity.rawValue): \(field): \(message)" }
}
