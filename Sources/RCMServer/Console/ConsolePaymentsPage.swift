import Foundation
import RCMCore
import RevenueCycle
import Vapor

/// The console's unmatched payments (`/payments`): payments whose claim RCM could not find, and a
/// form on each to match it to a claim by hand (`POST /payments/{identifier}/match`, the API's
/// rule and audit for `POST /api/v1/payments/:payment/match`).
extension ConsoleController {
    struct PaymentsPage: Encodable {
        struct Row: Encodable {
            let paymentIdentifier: String
            /// The identifier as a path segment.
            let path: String
            let amount: String
            let currency: String
            let paymentDate: String?
            let claimReference: String?
            let source: String
        }
        let layout: ConsoleLayout
        let payments: [Row]
        let canMatch: Bool
        let message: String?
        let error: String?
    }

    @Sendable func payments(request: Request) async throws -> Response {
        try await paymentsPage(request, message: request.query[String.self, at: "done"], error: nil, status: .ok)
    }

    func paymentsPage(_ request: Request, message: String?, error: String?, status: HTTPResponseStatus)
        async throws -> Response
    {
        let rows = try await ledger.unmatched(limit: 200).map { entry in
            PaymentsPage.Row(
                paymentIdentifier: entry.payment.identifier,
                path: entry.payment.identifier.addingPercentEncoding(
                    withAllowedCharacters: .urlPathAllowed.subtracting(["/"]))
                    ?? entry.payment.identifier,
                amount: entry.payment.amount.amountText, currency: entry.payment.amount.currency.code,
                paymentDate: entry.payment.paymentDate?.description, claimReference: entry.payment.claimReference,
                source: entry.source)
        }
        let page = PaymentsPage(
            layout: layout(request, title: "Unmatched payments", section: "payments"), payments: rows,
            canMatch: Self.allows(request, "POST /api/v1/payments/:payment/match"), message: message, error: error)
        return try await Self.render(request, "payments", page, status: status)
    }

    struct MatchForm: Content {
        var claimID: String?
        enum CodingKeys: String, CodingKey { case claimID = "claim_id" }
    }

    @Sendable func match(request: Request) async throws -> Response {
        let identifier = request.parameters.get("payment") ?? ""
        let text = (try request.content.decode(MatchForm.self).claimID ?? "").trimmingCharacters(in: .whitespaces)
        guard let uuid = UUID(uuidString: text) else {
            return try await paymentsPage(
                request, message: nil, error: "claim_id: give the claim's id (a UUID, from its page)",
                status: .unprocessableEntity)
        }
        do {
            guard try await poster.match(identifier, to: ClaimID(uuid)) != nil else {
                return try await paymentsPage(
                    request, message: nil, error: "no unmatched payment \(identifier.prefix(60))", status: .notFound)
            }
        } catch let error as ClaimNotFound {
            return try await paymentsPage(request, message: nil, error: error.description, status: .notFound)
        }
        request.auditChanges = ["claim_id": AuditChange(before: nil, after: uuid.uuidString.lowercased())]
        return Self.redirect(request, to: "/payments", done: "payment \(identifier) matched to claim \(uuid)")
    }
}
