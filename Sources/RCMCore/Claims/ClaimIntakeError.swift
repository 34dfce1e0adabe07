/// A claim could not be accepted: the findings say which fields and why (at least one has
/// severity ``ClaimFinding/Severity/error``).
public struct ClaimIntakeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Every finding, errors and warnings, in the order found.
    public let findings: [ClaimFinding]

    /// Creates the error.
    public init(findings: [ClaimFinding]) { self.findings = findings }

    public var description: String {
        findings.filter { $0.severity == .error }.map { "\($0.field): \($0.message)" }
            .joined(separator: "; ")
    }
}
