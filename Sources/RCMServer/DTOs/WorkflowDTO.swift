import Foundation
import Vapor
import Workflow

/// A workflow run as the API and `rcm workflows` show it. Times are ISO 8601 in UTC; durations in
/// milliseconds.
public struct WorkflowDTO: Content, Sendable {
    public struct Step: Content, Sendable {
        public let name: String
        public let status: String
        public let attempts: Int
        public let startedAt: Date?
        public let finishedAt: Date?
        public let durationMs: Int?
        public let nextAttemptAt: Date?
        public let waitingFor: String?
        public let waitDeadline: Date?
        public let lastError: String?
    }

    public struct LogEntry: Content, Sendable {
        public let at: Date
        public let step: String?
        public let from: String?
        public let to: String
        public let message: String?
        public let actor: String
    }

    public let id: String
    public let definition: String
    public let status: String
    public let currentStep: String?
    public let lastError: String?
    public let nextRunAt: Date?
    public let leaseOwner: String?
    public let createdAt: Date
    public let updatedAt: Date
    /// Present on the detail view only.
    public let steps: [Step]?
    public let log: [LogEntry]?

    /// A summary (list rows).
    public init(_ workflow: WorkflowRecord) {
        self.init(workflow, steps: nil, logs: nil)
    }

    /// The detail view: the run, its steps and its log.
    public init(_ report: WorkflowStatusReport) {
        self.init(report.workflow, steps: report.steps, logs: report.logs)
    }

    private init(_ workflow: WorkflowRecord, steps: [StepRecord]?, logs: [WorkflowLogEntry]?) {
        id = workflow.id.rawValue
        definition = workflow.definition
        status = workflow.status.rawValue
        currentStep = workflow.currentStep
        lastError = workflow.lastError
        nextRunAt = workflow.nextRunAt
        leaseOwner = workflow.leaseOwner
        createdAt = workflow.createdAt
        updatedAt = workflow.updatedAt
        self.steps = steps?.map {
            Step(
                name: $0.name, status: $0.status.rawValue, attempts: $0.attempts, startedAt: $0.startedAt,
                finishedAt: $0.finishedAt, durationMs: $0.durationMilliseconds, nextAttemptAt: $0.nextAttemptAt,
                waitingFor: $0.isWaiting ? $0.waitKey : nil, waitDeadline: $0.isWaiting ? $0.waitDeadline : nil,
                lastError: $0.lastError)
        }
        log = logs?.map {
            LogEntry(
                at: $0.at, step: $0.step, from: $0.fromStatus, to: $0.toStatus, message: $0.message, actor: $0.actor)
        }
    }

    /// The JSON encoder for these views (ISO 8601 dates, sorted keys).
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return encoder
    }
}
