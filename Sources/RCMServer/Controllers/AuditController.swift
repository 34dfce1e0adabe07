import Foundation
import Vapor

/// `GET /api/v1/audit` (auditor, admin): audit entries, newest first, filtered by `actor`,
/// `action`, `resource_type`, `resource_id`, `from` and `to` (ISO 8601 instants) and `limit`
/// (default 100, at most 1000); `?format=fhir` answers a FHIR R4 Bundle (`searchset`) of
/// AuditEvent resources instead of RCM's JSON.
struct AuditController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped("api", "v1", "audit").get(use: list)
    }

    @Sendable func list(request: Request) async throws -> Response {
        guard let security = request.application.security else { throw Abort(.serviceUnavailable) }
        func instant(_ name: String) throws -> Date? {
            guard let text = request.query[String.self, at: name] else { return nil }
            guard let date = ISO8601DateFormatter().date(from: text) else {
                throw Abort(
                    .badRequest, reason: "\(name): '\(text)' is not an ISO 8601 instant such as 2026-11-29T10:00:00Z")
            }
            return date
        }
        let entries = try await security.audit.entries(
            actor: request.query[String.self, at: "actor"], action: request.query[String.self, at: "action"],
            resourceType: request.query[String.self, at: "resource_type"],
            resourceID: request.query[String.self, at: "resource_id"], from: try instant("from"), to: try instant("to"),
            limit: try QueryLimit.read(request, default: 100, maximum: 1000))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let body: Data
        switch request.query[String.self, at: "format"] {
        case nil, "json"?: body = try encoder.encode(entries.map(AuditEntryDTO.init))
        case "fhir"?: body = try encoder.encode(AuditEventBundle(entries))
        case let other?: throw Abort(.badRequest, reason: "format: '\(other)' is not json or fhir")
        }
        let response = Response(status: .ok, body: .init(data: body))
        response.headers.contentType = request.query[String.self, at: "format"] == "fhir" ? .fhirJSON : .json
        return response
    }
}

extension HTTPMediaType {
    /// `application/fhir+json` (FHIR R4 §3.1.0.1.3).
    static let fhirJSON = HTTPMediaType(type: "application", subType: "fhir+json")
}

/// An audit entry as the API shows it (snake_case; `changes` as an object).
struct AuditEntryDTO: Encodable {
    let seq: Int64
    let occurredAt: Date
    let actor: String
    let role: String?
    let action: String
    let resourceType: String
    let resourceID: String?
    let outcome: String
    let status: Int?
    let ipAddress: String?
    let userAgent: String?
    let requestID: String?
    let changes: [String: AuditChange]?
    let previousHash: String
    let hash: String

    init(_ entry: AuditEntry) {
        seq = entry.seq
        occurredAt = entry.occurredAt
        actor = entry.actor
        role = entry.role
        action = entry.action
        resourceType = entry.resourceType
        resourceID = entry.resourceID
        outcome = entry.outcome
        status = entry.status
        ipAddress = entry.ipAddress
        userAgent = entry.userAgent
        requestID = entry.requestID
        changes = entry.changes.flatMap { try? JSONDecoder().decode([String: AuditChange].self, from: Data($0.utf8)) }
        previousHash = entry.previousHash
        hash = entry.hash
    }

    enum CodingKeys: String, CodingKey {
        case seq, actor, role, action, outcome, status, changes, hash
        case occurredAt = "occurred_at"
        case resourceType = "resource_type"
        case resourceID = "resource_id"
        case ipAddress = "ip_address"
        case userAgent = "user_agent"
        case requestID = "request_id"
        case previousHash = "prev_hash"
    }
}

/// Audit entries as a FHIR R4 `Bundle` (`searchset`) of `AuditEvent`s: type `rest` (DICOM audit
/// event type, HL7 `audit-event-type`), subtype = RCM's action, action C/R/U/D/E, outcome 0
/// (success), 4 (denied) or 8 (failure), the actor as requestor agent with its role and network
/// address, RCM as the source, and the resource as entity.
struct AuditEventBundle: Encodable {
    struct Coding: Encodable {
        var system: String?
        var code: String
        var display: String?
    }

    struct AuditEvent: Encodable {
        var resourceType = "AuditEvent"
        var id: String
        var type: Coding
        var subtype: [Coding]
        var action: String
        var recorded: String
        var outcome: String
        var outcomeDesc: String?
        var agent: [Agent]
        var source: Source
        var entity: [Entity]
    }

    struct Agent: Encodable {
        var type: CodeableConcept?
        var role: [CodeableConcept]?
        var who: Display
        var requestor: Bool
        var network: Network?
    }

    struct CodeableConcept: Encodable { var text: String }
    struct Display: Encodable { var display: String }
    struct Network: Encodable {
        var address: String
        var type = "2"
    }

    struct Source: Encodable {
        var site: String
        var observer: Display
    }

    struct Entity: Encodable {
        var what: Display
        var type: Coding?
    }

    struct Entry: Encodable {
        var fullUrl: String
        var resource: AuditEvent
    }

    var resourceType = "Bundle"
    var type = "searchset"
    var total: Int
    var entry: [Entry]

    init(_ entries: [AuditEntry]) {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        total = entries.count
        entry = entries.map { item in
            let verb = item.action.split(separator: ".").last.map(String.init) ?? ""
            let action: String =
                switch verb {
                case "create", "post": "C"
                case "read", "list", "search", "verify": "R"
                case "delete": "D"
                case "resume", "pause", "cancel", "update", "disable", "enable", "write-off", "resubmit", "appeal": "U"
                default: "E"
                }
            let id = "audit-\(item.seq)"
            return Entry(
                fullUrl: "urn:rcm:audit:\(item.seq)",
                resource: AuditEvent(
                    id: id,
                    type: Coding(
                        system: "http://terminology.hl7.org/CodeSystem/audit-event-type", code: "rest",
                        display: "RESTful Operation"),
                    subtype: [Coding(system: "urn:rcm:audit-action", code: item.action, display: nil)], action: action,
                    recorded: formatter.string(from: item.occurredAt),
                    outcome: item.outcome == "success" ? "0" : item.outcome == "denied" ? "4" : "8",
                    outcomeDesc: item.status.map { "HTTP \($0)" },
                    agent: [
                        Agent(
                            type: nil, role: item.role.map { [CodeableConcept(text: $0)] },
                            who: Display(display: item.actor),
                            requestor: true, network: item.ipAddress.map { Network(address: $0) })
                    ],
                    source: Source(site: "rcm", observer: Display(display: "RCM")),
                    entity: [
                        Entity(
                            what: Display(display: "\(item.resourceType)/\(item.resourceID ?? "")"),
                            type: Coding(system: "urn:rcm:resource-type", code: item.resourceType, display: nil))
                    ]))
        }
    }
}
