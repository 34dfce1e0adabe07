import FHIR
import Foundation
import HCX
import Vapor

/// The sandbox gateway's HTTP surface: the token endpoint, the registry search, participants'
/// certificates, every protocol API under the version prefix, and inspection counts.
struct SandboxGatewayController: RouteCollection {
    let versionPrefix: String
    let gateway: SandboxGateway
    let registry: SandboxRegistry
    let tokens: SandboxAccessTokens
    let store: SandboxStore
    let maxBodyBytes: Int

    func boot(routes: any RoutesBuilder) throws {
        let prefix = versionPrefix.split(separator: "/").map { PathComponent(stringLiteral: String($0)) }
        routes.on(.POST, prefix + ["participant", "auth", "token", "generate"], use: token)
        routes.on(.POST, prefix + ["participant", "search"], use: search)
        routes.get(["certificates", ":code"], use: certificate)
        routes.get(["sandbox", "counts"], use: counts)
        for operation in HCXOperation.allCases {
            routes.on(
                .POST, prefix + operation.pathComponents.map { PathComponent(stringLiteral: $0) },
                body: .collect(maxSize: ByteCount(value: maxBodyBytes))
            ) { request async throws -> Response in
                try await protocolCall(request, operation: operation)
            }
        }
    }

    /// `POST /participant/auth/token/generate`, form-encoded: `username` + `secret` (+
    /// `participant_code`) or `username` + `password` → Keycloak-shaped token JSON.
    @Sendable func token(request: Request) async throws -> Response {
        struct Form: Content {
            var username: String?
            var secret: String?
            var password: String?
            var participantCode: String?

            enum CodingKeys: String, CodingKey {
                case username, secret, password
                case participantCode = "participant_code"
            }
        }
        let form = (try? request.content.decode(Form.self, as: .urlEncodedForm)) ?? Form()
        guard let username = form.username, let secret = form.secret ?? form.password,
            let participant = await registry.authenticate(
                username: username, secret: secret, participantCode: form.participantCode),
            participant.isActive
        else {
            return try Self.json(
                ["error": "invalid_grant", "error_description": "Invalid user credentials"], status: .unauthorized)
        }
        let token = try await tokens.issue(for: participant)
        return try Self.json(
            [
                "access_token": .string(token), "token_type": .string("Bearer"),
                "expires_in": .number(Decimal(tokens.lifetimeSeconds)),
            ] as [String: JSONValue], status: .ok)
    }

    /// `POST /participant/search` with `{"filters":{"participant_code":{"eq":CODE}}}` (also `in: [..]`).
    @Sendable func search(request: Request) async throws -> Response {
        do {
            _ = try await tokens.participantCode(authorization: request.headers.first(name: .authorization))
        } catch let error as HCXProtocolError {
            return try HCXAcknowledgement(
                timestamp: Date(), correlationID: nil, apiCallID: nil,
                error: .init(code: error.code, message: error.message)
            ).response(status: .unauthorized)
        }
        let query = try? JSONValue(parsing: Data(buffer: request.body.data ?? ByteBuffer()))
        let filter = query?["filters"]?["participant_code"]
        var codes: [String] = []
        if let code = filter?["eq"]?.stringValue { codes = [code] }
        if case .array(let values)? = filter?["in"] { codes = values.compactMap(\.stringValue) }
        guard filter?["eq"] != nil || filter?["in"] != nil else {
            throw Abort(
                .badRequest,
                reason: #"the body must be {"filters":{"participant_code":{"eq":"CODE"}}} (or "in": [CODES])"#)
        }
        var participants: [JSONValue] = []
        let origin = Self.origin(of: request)
        for code in codes {
            guard let participant = await registry.participant(code) else { continue }
            participants.append(
                .object([
                    "participant_code": .string(participant.code), "participant_name": .string(participant.name),
                    "roles": .array(participant.roles.map(JSONValue.string)), "status": .string(participant.status),
                    "endpoint_url": .string(participant.endpointURL),
                    "encryption_cert": .string(
                        "\(origin)/certificates/\(participant.code.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? participant.code)"
                    ),
                ]))
        }
        return try Self.json(["participants": .array(participants)] as [String: JSONValue], status: .ok)
    }

    /// `GET /certificates/{code}`: the participant's encryption certificate (PEM).
    @Sendable func certificate(request: Request) async throws -> Response {
        guard let code = request.parameters.get("code")?.removingPercentEncoding,
            let participant = await registry.participant(code)
        else { throw Abort(.notFound, reason: "no participant with that code") }
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "application", subType: "x-pem-file")
        return Response(status: .ok, headers: headers, body: .init(string: participant.encryptionCertificatePEM))
    }

    /// `GET /sandbox/counts?correlation_id=…` or `?api_call_id=…`: see ``SandboxCounts``.
    @Sendable func counts(request: Request) async throws -> Response {
        let counts: SandboxCounts
        if let id = request.query[String.self, at: "correlation_id"] {
            counts = try await store.counts(correlationID: id)
        } else if let id = request.query[String.self, at: "api_call_id"] {
            counts = try await store.counts(apiCallID: id)
        } else {
            throw Abort(.badRequest, reason: "give correlation_id or api_call_id")
        }
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: try JSONEncoder().encode(counts)))
    }

    private func protocolCall(_ request: Request, operation: HCXOperation) async throws -> Response {
        let body = Data(buffer: request.body.data ?? ByteBuffer())
        let answer = await gateway.receive(
            operation: operation, body: body, authorization: request.headers.first(name: .authorization))
        if answer.delaySeconds > 0 { try await Task.sleep(for: .seconds(answer.delaySeconds)) }
        return try answer.acknowledgement.response(status: answer.status)
    }

    static func origin(of request: Request) -> String {
        let host = request.headers.first(name: .host) ?? "127.0.0.1"
        return "http://\(host)"
    }

    static func json(_ value: some Encodable, status: HTTPResponseStatus) throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return Response(status: status, headers: headers, body: .init(data: try encoder.encode(value)))
    }
}
