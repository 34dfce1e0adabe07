/// A worker's prepared statement on PostgreSQL did not answer in time (``FluentWorkflowStore``'s
/// statement timeout); its connection was closed. Whether a write committed is unknown: the run's
/// next holder reads what is stored and goes on from there, as after a crash.
public struct WorkflowStatementTimedOut: Error, CustomStringConvertible {
    /// The prepared statement's name, e.g. `rcm.workflow.transitions`.
    public let statement: String
    /// The timeout, in seconds.
    public let seconds: Double

    public var description: String { "PostgreSQL did not answer \(statement) within \(seconds) s" }
}
