import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import RCMServer

/// Manual payment posting and the unmatched queue, after a real run of the sample encounters.
@Suite(.serialized) struct PaymentRouteTests {
    @Test func paymentsOutsideHCXArePostedOnceMatchedOrQueuedAndMatchedByHand() async throws {
        try await ClaimRouteTests.afterTheSampleRun { app, readOnly, _ in
            var biller = try await TestSecurity.headers(app, .biller)
            biller.contentType = .json
            func send(_ method: HTTPMethod, _ path: String, _ body: String? = nil) async throws -> (HTTPStatus, String)
            {
                var result: (HTTPStatus, String) = (.ok, "")
                try await app.testing().test(
                    method, path, headers: biller, body: body.map { ByteBuffer(string: $0) },
                    afterResponse: { result = ($0.status, $0.body.string) })
                return result
            }
            let claims = try await ClaimRouteTests.get(app, "api/v1/claims", readOnly, as: ClaimPageDTO.self).claims
            let sprain = try #require(claims.first { $0.identifier == "ENC-2026-000202" })
            let visit = try #require(claims.first { $0.identifier == "ENC-2026-000201" })

            // Matched by the claim's identifier; posting it again changes nothing.
            let cheque =
                #"{"payment_identifier":"CHQ-1001","amount":"100.00","payment_date":"2026-11-25","claim_identifier":"ENC-2026-000202"}"#
            let first = try await send(.POST, "api/v1/payments", cheque)
            #expect(first.0 == .created, "\(first.1)")
            #expect(first.1.contains(#""claimID":"\#(sprain.id)""#))
            #expect(try await send(.POST, "api/v1/payments", cheque).0 == .ok)
            let detail = try await ClaimRouteTests.get(
                app, "api/v1/claims/\(sprain.id)", readOnly, as: ClaimDetailDTO.self)
            #expect(detail.paid == "11980.00")
            #expect(detail.payments.count == 2)
            #expect(detail.findings.contains { $0.message.hasPrefix("overpaid: paid INR 11980.00 in all") })
            #expect(detail.claim.outcome == "partially_paid")

            // Unmatched, queued, matched by hand.
            let transfer = #"{"payment_identifier":"NEFT-77","amount":"50.00","claim_identifier":"UNKNOWN-9"}"#
            let queued = try await send(.POST, "api/v1/payments", transfer)
            #expect(queued.0 == .created)
            #expect(!queued.1.contains("claimID\":\""))
            let waiting = try await send(.GET, "api/v1/payments?unmatched=true")
            #expect(waiting.1.contains("NEFT-77"))
            let matched = try await send(.POST, "api/v1/payments/NEFT-77/match", #"{"claim_id":"\#(visit.id)"}"#)
            #expect(matched.0 == .ok, "\(matched.1)")
            #expect(try await send(.GET, "api/v1/payments?unmatched=true").1 == "[]")
            #expect(
                try await send(.POST, "api/v1/payments/NEFT-77/match", #"{"claim_id":"\#(visit.id)"}"#).0 == .notFound)
            let paidVisit = try await ClaimRouteTests.get(
                app, "api/v1/claims/\(visit.id)", readOnly, as: ClaimDetailDTO.self)
            #expect(paidVisit.paid == "1300.00")

            // Bad input: field-level errors, nothing posted.
            let bad = try await send(
                .POST, "api/v1/payments", #"{"payment_identifier":"","amount":"-5","payment_date":"soon"}"#)
            #expect(bad.0 == .unprocessableEntity)
            let problem = try JSONDecoder().decode(ProblemDetails.self, from: Data(bad.1.utf8))
            #expect(problem.errors?.map(\.field) == ["payment_identifier", "amount", "payment_date"])
            // A payment date is a day: a date-time is refused rather than cut to its date.
            let dateTime = try await send(
                .POST, "api/v1/payments",
                #"{"payment_identifier":"CHQ-2002","amount":"10.00","payment_date":"2026-11-25T23:30:00+05:30"}"#)
            #expect(dateTime.0 == .unprocessableEntity)
            #expect(
                try JSONDecoder().decode(ProblemDetails.self, from: Data(dateTime.1.utf8)).errors?.map(\.field)
                    == ["payment_date"])
            #expect(try await send(.GET, "api/v1/payments").0 == .badRequest)
            #expect(
                try await send(
                    .POST, "api/v1/payments", #"{"payment_identifier":"X","amount":"1.00","claim_id":"\#(UUID())"}"#
                ).0 == .notFound)
        }
    }
}
