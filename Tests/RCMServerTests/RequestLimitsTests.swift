import AsyncKit
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import RCMServer

/// Oversized URLs, headers and bodies are answered (414, 431, 413 with problem+json), not dropped.
@Suite(.serialized) struct RequestLimitsTests {
    static func problem(_ response: TestingHTTPResponse) throws -> ProblemDetails {
        #expect(response.headers.contentType?.description == "application/problem+json")
        return try JSONDecoder().decode(ProblemDetails.self, from: Data(buffer: response.body))
    }

    @Test func oversizedURLsHeadersAndBodiesAreAnsweredWithTheirStatus() async throws {
        try await SecurityTests().withServerApp { app, _ in
            var biller = try await TestSecurity.headers(app, .biller)
            biller.contentType = .json
            let long = String(repeating: "a", count: RequestLimits.maximumURLBytes)
            try await app.testing().test(.GET, "api/v1/claims?payer=\(long)", headers: biller) {
                response async throws in
                #expect(response.status == .uriTooLong)
                #expect(try Self.problem(response).status == 414)
            }
            var bigHeader = biller
            bigHeader.add(name: "X-Trace", value: String(repeating: "t", count: RequestLimits.maximumHeaderFieldBytes))
            try await app.testing().test(.GET, "api/v1/claims", headers: bigHeader) { response async throws in
                #expect(response.status == .requestHeaderFieldsTooLarge)
                #expect(try Self.problem(response).status == 431)
            }
            var manyHeaders = biller
            for index in 0..<8 { manyHeaders.add(name: "X-Note-\(index)", value: String(repeating: "n", count: 5_000)) }
            try await app.testing().test(.GET, "api/v1/claims", headers: manyHeaders) { response async throws in
                #expect(response.status == .requestHeaderFieldsTooLarge)
            }
            var bigToken = HTTPHeaders()
            bigToken.bearerAuthorization = BearerAuthorization(token: String(repeating: "k", count: 10_000))
            try await app.testing().test(.GET, "api/v1/claims", headers: bigToken) { response async throws in
                #expect(response.status == .requestHeaderFieldsTooLarge)
            }
            // A body over its route's limit: 413, nothing posted. Over real HTTP: the in-memory
            // tester hands the route a body already collected, which no limit applies to.
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            let port = try #require(app.http.server.shared.localAddress?.port)
            let padding = String(repeating: " ", count: 70_000)
            let response = try await app.client.post(
                URI(string: "http://127.0.0.1:\(port)/api/v1/payments"), headers: biller
            ) { request in
                request.body = ByteBuffer(string: #"{"payment_identifier":"P-1","amount":"1.00"}"# + padding)
            }
            // A correction of 100 KB (a corrected HCX bundle is some 18 KB; over the 64 KB other
            // routes take, and large enough to arrive in several reads, which is when Vapor applies a
            // route's limit) is within a resubmission's limit: read, and refused for what it says.
            let correction =
                #"{"reason":"corrected","correction":{"note":""# + String(repeating: "c", count: 100_000) + #""}}"#
            let resubmitted = try await app.client.post(
                URI(string: "http://127.0.0.1:\(port)/api/v1/denials/\(UUID())/resubmit"), headers: biller
            ) { request in request.body = ByteBuffer(string: correction) }
            await app.server.shutdown()
            #expect(response.status == .payloadTooLarge)
            #expect(response.headers.contentType?.description == "application/problem+json")
            #expect(
                try JSONDecoder().decode(ProblemDetails.self, from: Data(buffer: response.body ?? ByteBuffer())).status
                    == 413)
            #expect(try await PaymentModel.query(on: app.db).count() == 0)
            #expect(resubmitted.status == .unprocessableEntity)
        }
    }
}

/// The database away for a moment is the service's trouble, not the caller's: 503 with
/// `Retry-After`, never a bare 500 (the fault soak's posts met 500s while PostgreSQL restarted).
@Suite struct DatabaseUnavailableTests {
    @Test func passingDatabaseTroubleIsServiceUnavailableWithRetryAfter() async throws {
        let app = try await Application.make(.testing)
        let request = Request(application: app, on: app.eventLoopGroup.next())
        let response = try ProblemDetailsMiddleware().response(
            for: ConnectionPoolTimeoutError.connectionRequestTimeout, request: request)
        #expect(response.status == .serviceUnavailable)
        #expect(response.headers.first(name: .retryAfter) == "2")
        let other = try ProblemDetailsMiddleware().response(for: CancellationError(), request: request)
        #expect(other.status == .internalServerError)
        try await app.asyncShutdown()
    }
}
