import Foundation
import Workflow

/// One transition of a workflow run as a save writes it: the run's new state, the steps that
/// changed and their log entries, under the lease of `leaseOwner`; `releasingLease` gives the
/// lease up with it (the run's last transition under this lease). See
/// ``Workflow/WorkflowStore/save(_:steps:log:leaseOwner:releasingLease:)``.
struct WorkflowTransition: Sendable {
    let workflow: WorkflowRecord
    let steps: [StepRecord]
    let log: [WorkflowLogEntry]
    let leaseOwner: String
    let releasingLease: Bool
}
