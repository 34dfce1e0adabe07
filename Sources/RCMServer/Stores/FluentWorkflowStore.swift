import Fluent
import Foundation
import Workflow

/// ``Workflow/WorkflowStore`` over Fluent (`workflow_state`, `workflow_steps`, `workflow_events`).
/// Every method commits before it returns; multi-row changes run in one transaction.
public struct FluentWorkflowStore: WorkflowStore {
    let database: any Database

    public init(database: any Database) { self.database = database }

    public func create(_ workflow: WorkflowRecord, steps: [StepRecord]) async throws -> (WorkflowRecord, created: Bool)
    {
        if let existing = try await self.workflow(workflow.id) { return (existing, false) }
        do {
            try await database.transaction { transaction in
                try await WorkflowStateModel(workflow).create(on: transaction)
                for step in steps { try await WorkflowStepModel(step).create(on: transaction) }
            }
        } catch  where (error as? any DatabaseError)?.isConstraintFailure == true {
            if let existing = try await self.workflow(workflow.id) { return (existing, false) }
            throw error
        }
        return (workflow, true)
    }

    public func workflow(_ id: WorkflowID) async throws -> WorkflowRecord? {
        try await WorkflowStateModel.find(id.rawValue, on: database)?.toDomain()
    }

    public func steps(of id: WorkflowID) async throws -> [StepRecord] {
        try await WorkflowStepModel.query(on: database)
            .filter(\.$workflow.$id == id.rawValue)
            .sort(\.$position)
            .all()
            .map { try $0.toDomain() }
    }

    public func save(_ workflow: WorkflowRecord, step: StepRecord?) async throws {
        try await database.transaction { transaction in
            guard let state = try await WorkflowStateModel.find(workflow.id.rawValue, on: transaction) else {
                throw WorkflowError.notFound(workflow.id)
            }
            state.update(from: workflow)
            try await state.save(on: transaction)
            guard let step else { return }
            guard
                let row = try await WorkflowStepModel.query(on: transaction)
                    .filter(\.$workflow.$id == workflow.id.rawValue)
                    .filter(\.$name == step.name)
                    .first()
            else { throw WorkflowError.definitionMismatch(workflow.id, "no stored step '\(step.name)'") }
            row.update(from: step)
            try await row.save(on: transaction)
        }
    }

    public func recordEvent(key: String, payload: Data, at date: Date) async throws -> Bool {
        let event = WorkflowEventModel()
        event.eventKey = key
        event.payload = String(decoding: payload, as: UTF8.self)
        event.receivedAt = date
        do {
            try await event.create(on: database)
            return true
        } catch  where (error as? any DatabaseError)?.isConstraintFailure == true {
            return false
        }
    }

    public func event(key: String) async throws -> Data? {
        try await WorkflowEventModel.query(on: database).filter(\.$eventKey == key).first().map {
            Data($0.payload.utf8)
        }
    }

    public func workflowWaiting(for eventKey: String) async throws -> WorkflowID? {
        try await WorkflowStepModel.query(on: database)
            .filter(\.$waitKey == eventKey)
            .filter(\.$status == StepStatus.running.rawValue)
            .first()
            .map { WorkflowID($0.$workflow.id) }
    }
}

extension WorkflowStateModel {
    convenience init(_ record: WorkflowRecord) {
        self.init()
        id = record.id.rawValue
        update(from: record)
        createdAt = record.createdAt
    }

    func update(from record: WorkflowRecord) {
        definition = record.definition
        status = record.status.rawValue
        input = String(decoding: record.input, as: UTF8.self)
        currentStep = record.currentStep
        lastError = record.lastError
        updatedAt = record.updatedAt
    }

    func toDomain() throws -> WorkflowRecord {
        WorkflowRecord(
            id: WorkflowID(try StoredDataError.require(id, "workflow_state.id", "nil")), definition: definition,
            status: try StoredDataError.require(WorkflowStatus(rawValue: status), "workflow_state.status", status),
            input: Data(input.utf8), currentStep: currentStep, lastError: lastError, createdAt: createdAt,
            updatedAt: updatedAt)
    }
}

extension WorkflowStepModel {
    convenience init(_ record: StepRecord) {
        self.init()
        id = UUID()
        $workflow.id = record.workflowID.rawValue
        name = record.name
        position = record.position
        update(from: record)
    }

    func update(from record: StepRecord) {
        status = record.status.rawValue
        attempts = record.attempts
        output = record.output.map { String(decoding: $0, as: UTF8.self) }
        lastError = record.lastError
        waitKey = record.waitKey
        waitDeadline = record.waitDeadline
        startedAt = record.startedAt
        finishedAt = record.finishedAt
    }

    func toDomain() throws -> StepRecord {
        var record = StepRecord(workflowID: WorkflowID($workflow.id), name: name, position: position)
        record.status = try StoredDataError.require(StepStatus(rawValue: status), "workflow_steps.status", status)
        record.attempts = attempts
        record.output = output.map { Data($0.utf8) }
        record.lastError = lastError
        record.waitKey = waitKey
        record.waitDeadline = waitDeadline
        record.startedAt = startedAt
        record.finishedAt = finishedAt
        return record
    }
}
