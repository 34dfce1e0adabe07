import Fluent
import Foundation
import RCMCore
import RevenueCycle
import Workflow

/// Claims as billing staff browse them — the read side of `GET /api/v1/claims`,
/// `GET /api/v1/claims/{id}`, `rcm claims list` and `rcm claims show`.
public struct ClaimBrowser: Sendable {
    let queries: ClaimQueries
    let engine: WorkflowEngine
    let denials: DenialQueue

    public init(database: any Database, engine: WorkflowEngine, denials: DenialQueue) {
        queries = ClaimQueries(database: database)
        self.engine = engine
        self.denials = denials
    }

    /// The filters as text, as the API's query parameters and the CLI's options give them.
    public struct Query: Sendable {
        public var outcome, payer, from, to, currency, minimumBilled, maximumBilled, cursor: String?

        public init(
            outcome: String? = nil, payer: String? = nil, from: String? = nil, to: String? = nil,
            currency: String? = nil, minimumBilled: String? = nil, maximumBilled: String? = nil, cursor: String? = nil
        ) {
            self.outcome = outcome
            self.payer = payer
            self.from = from
            self.to = to
            self.currency = currency
            self.minimumBilled = minimumBilled
            self.maximumBilled = maximumBilled
            self.cursor = cursor
        }
    }

    /// A page of claims, newest first.
    /// - Throws: ``ClaimQueryError`` naming the parameter that is wrong.
    public func page(_ query: Query, limit: Int) async throws -> ClaimPageDTO {
        let filter = try Self.filter(query)
        var cursor: ClaimQueries.Cursor?
        if let text = query.cursor {
            do { cursor = try ClaimQueries.Cursor(text: text) } catch { throw ClaimQueryError("\(error)") }
        }
        let (rows, next) = try await queries.page(filter, limit: limit, after: cursor)
        return ClaimPageDTO(claims: rows.map(ClaimSummaryDTO.init), nextCursor: next?.text)
    }

    /// The filter for the query parameters (also `rcm claims list`'s options).
    /// - Throws: ``ClaimQueryError`` naming the parameter.
    static func filter(_ query: Query) throws -> ClaimQueries.Filter {
        let (outcome, payer, from, to, currency, minimumBilled, maximumBilled) = (
            query.outcome, query.payer, query.from, query.to, query.currency, query.minimumBilled, query.maximumBilled
        )
        var filter = ClaimQueries.Filter()
        if let outcome {
            filter.outcomes = try outcome.split(separator: ",").map { name in
                do { return try NamedValue.parse(String(name), as: ClaimOutcome.self, name: "outcome") } catch {
                    throw ClaimQueryError("\(error)")
                }
            }
        }
        filter.payer = payer
        func date(_ text: String?, _ name: String) throws -> ServiceDate? {
            guard let text else { return nil }
            do { return try ServiceDate(iso8601: text) } catch {
                throw ClaimQueryError("\(name): '\(text)' is not a date YYYY-MM-DD")
            }
        }
        filter.from = try date(from, "from")
        filter.to = try date(to, "to")
        if let from = filter.from, let to = filter.to, to < from {
            throw ClaimQueryError("to: \(to) is before from \(from)")
        }
        if let currency {
            do { filter.currency = try CurrencyCode(currency) } catch {
                throw ClaimQueryError("currency: \(error)")
            }
        }
        func amount(_ text: String?, _ name: String) throws -> Int64? {
            guard let text else { return nil }
            filter.currency = filter.currency ?? .inr
            guard let value = DecimalText.parse(text), value >= 0 else {
                throw ClaimQueryError("\(name): '\(text)' is not a non-negative decimal amount such as 1500.00")
            }
            do { return try Money(value, filter.currency ?? .inr).minorUnits() } catch {
                throw ClaimQueryError("\(name): \(error)")
            }
        }
        filter.minimumBilledMinor = try amount(minimumBilled, "min_billed")
        filter.maximumBilledMinor = try amount(maximumBilled, "max_billed")
        if let minimum = filter.minimumBilledMinor, let maximum = filter.maximumBilledMinor, maximum < minimum {
            throw ClaimQueryError("max_billed: \(maximumBilled ?? "") is below min_billed \(minimumBilled ?? "")")
        }
        return filter
    }

    /// One claim's detail, or `nil` when there is no such claim.
    public func detail(_ id: UUID) async throws -> ClaimDetailDTO? {
        guard let (model, lines, payments, checks) = try await queries.detail(id) else { return nil }
        let stored = try model.toDomain(lines: lines)
        let currency = stored.claim.currency
        func text(_ minor: Int64) -> String { Money(minorUnits: minor, currency: currency).amountText }
        let lineReasons = try lines.map { try $0.reasons() }
        var denial: DenialDTO?
        if [.denied, .rejected].contains(stored.outcome) {
            denial = DenialDTO(denials.denialCase(stored, lineReasons: lineReasons))
        }
        let workflow = try? await engine.status(ClaimWorkflow.workflowID(for: stored.id))
        return ClaimDetailDTO(
            claim: ClaimSummaryDTO(model),
            diagnoses: stored.claim.diagnoses.map(\.code),
            lines: zip(lines, lineReasons).map { line, reasons in
                ClaimDetailDTO.Line(
                    sequence: line.sequence, submittedSequence: line.submittedSequence, system: line.serviceSystem,
                    code: line.serviceCode, display: line.serviceDisplay, quantity: line.quantity,
                    unitPrice: text(line.unitPriceMinor), net: text(line.netMinor),
                    approved: line.approvedMinor.map(text), reasons: reasons)
            },
            findings: stored.claim.findings.map {
                ClaimDetailDTO.Finding(severity: $0.severity.rawValue, field: $0.field, message: $0.message)
            },
            eligibility: checks.map {
                ClaimDetailDTO.EligibilityCheck(
                    correlationID: $0.correlationID, inForce: $0.inForce, outcome: $0.outcome,
                    disposition: $0.disposition, checkedAt: $0.checkedAt)
            },
            payments: payments.map {
                ClaimDetailDTO.PaymentEntry(
                    identifier: $0.paymentIdentifier,
                    amount: Money(
                        minorUnits: $0.amountMinor, currency: (try? CurrencyCode(stored: $0.currency)) ?? currency
                    )
                    .amountText,
                    currency: $0.currency, paymentDate: $0.paymentDate, kind: $0.kind, source: $0.source,
                    postedAt: $0.postedAt)
            },
            paid: text(payments.filter { $0.currency == currency.code }.reduce(Int64(0)) { $0 + $1.amountMinor }),
            denial: denial, workflow: workflow.map { WorkflowDTO($0) })
    }
}

/// A claim filter that cannot be used, with the parameter named (`to: 2026-13-01 is not a date`).
public struct ClaimQueryError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
