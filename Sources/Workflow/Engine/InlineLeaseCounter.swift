import Foundation

/// How many leases an engine has taken for inline advances (``WorkflowEngine/execute(_:input:id:)``,
/// ``WorkflowEngine/deliver(eventKey:payload:)``, ``WorkflowEngine/resume(_:actor:advance:)``).
///
/// A worker loop reads a run together with its lease (``WorkflowStore/claimNext(owner:until:now:)``)
/// before it takes the run's in-process lock. An inline advance in the same process shares the
/// engine's lease owner, so it may lease and advance that run in between; the loop compares this
/// count from before its claim with the count once it holds the lock, and reads the run again
/// when it moved. Thread-safe.
final class InlineLeaseCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    /// The number of inline leases taken so far.
    var value: Int { lock.withLock { count } }

    /// Counts one more inline lease (call after the lease was taken, while holding the run's lock).
    func increment() { lock.withLock { count += 1 } }
}
