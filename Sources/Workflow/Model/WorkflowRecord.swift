import Foundation

/// The persisted state of one workflow run.
public struct WorkflowRecord: Sendable, Hashable, Codable {
    public var id: WorkflowID
    /// The definition's name (e.g. `claim`).
    public var definition: String
    public var status: WorkflowStatus
    /// The workflow input as JSON bytes.
    public var input: Data
    /// The step currently (or last) being run.
    public var currentStep: String?
    /// The last failure, as text for operators.
    public var lastError: String?
    /// When a worker should next look at it: a retry's time, a wait's deadline; `nil` = now.
    public var nextRunAt: Date?
    /// The worker holding the lease, and until when.
    public var leaseOwner: String?
    public var leaseExpiresAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: WorkflowID, definition: String, status: WorkflowStatus, input: Data, currentStep: String?,
        lastError: String?, nextRunAt: Date? = nil, leaseOwner: String? = nil, leaseExpiresAt: Date? = nil,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.definition = definition
        self.status = status
        self.input = input
        self.currentStep = currentStep
        self.lastError = lastError
        self.nextRunAt = nextRunAt
        self.leaseOwner = leaseOwner
        self.leaseExpiresAt = leaseExpiresAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
