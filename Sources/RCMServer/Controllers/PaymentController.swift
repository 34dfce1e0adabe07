import Foundation
import RCMCore
import RevenueCycle
import Vapor

/// Payments that arrive outside HCX, and the unmatched queue:
/// - `POST /api/v1/payments` `{"payment_identifier", "amount": "1500.00", "currency": "INR",
///   "payment_date": "2026-11-20", "claim_id"?, "claim_identifier"?, "kind"?}` (kind `payment`,
///   `adjustment` or `advance`; a payment date from seven years before today to 31 days after,
///   ``RCMCore/PlausibleDates``) posts a payment once
///   per identifier: matched to `claim_id`, else to the one claim with `claim_identifier`, else left
///   unmatched. 201 when posted, 200 when that identifier was posted before; 422 with field errors.
/// - `GET /api/v1/payments?unmatched=true&limit=` lists the unmatched queue, oldest first.
/// - `POST /api/v1/payments/{payment identifier}/match` `{"claim_id"}` matches one by hand and
///   applies it to the claim (paid / partially paid, under- or over-payment flagged); 404 when no
///   unmatched payment or no claim has that id.
struct PaymentController: RouteCollection {
    let poster: PaymentPoster
    let ledger: any PaymentLedger
    /// What day today is, for the payment date's plausible range.
    let calendar: BillingCalendar

    /// The kinds a manual payment may be: FHIR R4 `payment-type`
    /// (http://terminology.hl7.org/CodeSystem/payment-type), as in a PaymentReconciliation detail.
    static let kinds = ["payment", "adjustment", "advance"]

    struct PostBody: Content {
        var paymentIdentifier: String?
        var amount: String?
        var currency: String?
        var paymentDate: String?
        var claimID: String?
        var claimIdentifier: String?
        var kind: String?

        enum CodingKeys: String, CodingKey {
            case amount, currency, kind
            case paymentIdentifier = "payment_identifier"
            case paymentDate = "payment_date"
            case claimID = "claim_id"
            case claimIdentifier = "claim_identifier"
        }
    }

    struct PaymentDTO: Content {
        let paymentIdentifier: String
        let amount: String
        let currency: String
        let paymentDate: String?
        let kind: String?
        let claimReference: String?
        let claimID: String?
        let source: String?
        let postedAt: Date?
        let posted: Bool?

        init(_ payment: Payment, claimID: ClaimID?, source: String? = nil, postedAt: Date? = nil, posted: Bool? = nil) {
            paymentIdentifier = payment.identifier
            amount = payment.amount.amountText
            currency = payment.amount.currency.code
            paymentDate = payment.paymentDate?.description
            kind = payment.kind
            claimReference = payment.claimReference
            self.claimID = claimID?.description
            self.source = source
            self.postedAt = postedAt
            self.posted = posted
        }
    }

    func boot(routes: any RoutesBuilder) throws {
        let payments = routes.grouped("api", "v1", "payments")
        payments.post(use: post)
        payments.get(use: unmatched)
        payments.post(":payment", "match", use: match)
    }

    @Sendable func post(request: Request) async throws -> Response {
        let body = try request.content.decode(PostBody.self)
        var errors: [ProblemDetails.FieldError] = []
        func fail(_ field: String, _ message: String) { errors.append(.init(field: field, message: message)) }
        let identifier = body.paymentIdentifier?.trimmingCharacters(in: .whitespaces) ?? ""
        if identifier.isEmpty || identifier.count > 128 { fail("payment_identifier", "required, 1–128 characters") }
        var currency = CurrencyCode.inr
        if let text = body.currency {
            do { currency = try CurrencyCode(text) } catch { fail("currency", "\(error)") }
        }
        var amount: Money?
        if let text = body.amount, let value = DecimalText.parse(text), value > 0 {
            do { amount = try Money(value, currency) } catch { fail("amount", "\(error)") }
        } else {
            fail("amount", "required: a positive decimal amount as text, e.g. \"1500.00\"")
        }
        var date: ServiceDate?
        if let text = body.paymentDate {
            do {
                let day = try ServiceDate(day: text)
                if let problem = PlausibleDates.paymentDateProblem(day, today: calendar.today()) {
                    fail("payment_date", problem)
                } else {
                    date = day
                }
            } catch {
                fail("payment_date", "'\(text)' is not a date YYYY-MM-DD")
            }
        }
        if let kind = body.kind, !Self.kinds.contains(kind) {
            fail("kind", "'\(kind)' is not one of: \(Self.kinds.joined(separator: ", "))")
        }
        var claimID: ClaimID?
        if let text = body.claimID {
            if let uuid = UUID(uuidString: text) {
                claimID = ClaimID(uuid)
            } else {
                fail("claim_id", "not a claim id (a UUID)")
            }
        }
        guard errors.isEmpty, let amount else {
            return try ProblemDetails(
                status: .unprocessableEntity, detail: "the payment cannot be posted", errors: errors
            )
            .response()
        }
        let payment = Payment(
            identifier: identifier, amount: amount, paymentDate: date, claimReference: body.claimIdentifier,
            responseReference: nil, kind: body.kind ?? "payment")
        do {
            let (matched, posted) = try await poster.postManual(payment, claimID: claimID)
            request.auditResourceID = identifier
            request.auditChanges =
                posted
                ? ["payment": AuditChange(before: nil, after: "\(amount) → \(matched?.description ?? "unmatched")")]
                : nil
            return try await PaymentDTO(payment, claimID: matched, source: "manual", posted: posted)
                .encodeResponse(status: posted ? .created : .ok, for: request)
        } catch let error as ClaimNotFound {
            throw Abort(.notFound, reason: error.description)
        }
    }

    @Sendable func unmatched(request: Request) async throws -> [PaymentDTO] {
        guard request.query[String.self, at: "unmatched"] == "true" else {
            throw Abort(
                .badRequest,
                reason: "unmatched=true is required: a claim's payments are in GET /api/v1/claims/{id}")
        }
        let limit = try QueryLimit.read(request, default: 100, maximum: 1000)
        return try await ledger.unmatched(limit: limit).map {
            PaymentDTO($0.payment, claimID: nil, source: $0.source, postedAt: $0.postedAt)
        }
    }

    struct MatchBody: Content {
        var claimID: String?
        enum CodingKeys: String, CodingKey { case claimID = "claim_id" }
    }

    @Sendable func match(request: Request) async throws -> PaymentDTO {
        let identifier = request.parameters.get("payment") ?? ""
        let body = try request.content.decode(MatchBody.self)
        guard let text = body.claimID, let uuid = UUID(uuidString: text) else {
            throw Abort(.unprocessableEntity, reason: "claim_id: required, a claim id (a UUID)")
        }
        do {
            guard let payment = try await poster.match(identifier, to: ClaimID(uuid)) else {
                throw Abort(.notFound, reason: "no unmatched payment \(identifier)")
            }
            request.auditChanges = ["claim_id": AuditChange(before: nil, after: uuid.uuidString.lowercased())]
            return PaymentDTO(payment, claimID: ClaimID(uuid))
        } catch let error as ClaimNotFound {
            throw Abort(.notFound, reason: error.description)
        }
    }
}
