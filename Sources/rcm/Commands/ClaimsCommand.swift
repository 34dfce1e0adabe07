import ArgumentParser
import Foundation
import RCMCore
import RCMServer

/// `rcm claims list|show`: claims as billing staff browse them (the same as `GET /api/v1/claims`).
struct ClaimsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claims", abstract: "List and show claims.", subcommands: [List.self, Show.self])

    /// Runs `body` with the claim browser and the audit trail (reads of patient-level data are audited).
    static func withBrowser<T>(_ body: (ClaimBrowser, AuditTrail) async throws -> T) async throws -> T {
        let configuration = try RuntimeBootstrap.configuration(defaultLevel: .warning)
        return try await RuntimeBootstrap.withMigratedApplication(configuration, exclusive: false) { app in
            let services = try ClaimServices(
                app: app, configuration: configuration,
                hcx: try GatewayConnection.connectionOrUnconfigured(configuration, app: app), codeSets: false)
            return try await body(
                ClaimBrowser(database: app.db, engine: services.engine, denials: services.denials), services.audit)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List claims, newest first (filters as GET /api/v1/claims).")

        @ArgumentParser.Option(help: "Outcomes, comma-separated: \(NamedValue.known(ClaimOutcome.self)).")
        var outcome: String?
        @ArgumentParser.Option(help: "The payer's identifier, e.g. GICOFINDIA (the insurer Organization's identifier).")
        var payer: String?
        @ArgumentParser.Option(help: "First date of service, YYYY-MM-DD.")
        var from: String?
        @ArgumentParser.Option(help: "Last date of service, YYYY-MM-DD.")
        var to: String?
        @ArgumentParser.Option(help: "Smallest billed total (decimal, in --currency).")
        var minBilled: String?
        @ArgumentParser.Option(help: "Largest billed total (decimal, in --currency).")
        var maxBilled: String?
        @ArgumentParser.Option(help: "Currency of the amount filters (default INR).")
        var currency: String?
        @ArgumentParser.Option(help: "At most this many.")
        var limit = 50
        @ArgumentParser.Option(help: "Continue after this cursor (printed after a full page).")
        var cursor: String?
        @ArgumentParser.Flag(help: "Print JSON.")
        var json = false

        func validate() throws {
            guard (1...500).contains(limit) else { throw ValidationError("--limit must be between 1 and 500") }
        }

        func run() async throws {
            let page = try await ClaimsCommand.withBrowser { browser, audit in
                do {
                    let page = try await browser.page(
                        ClaimBrowser.Query(
                            outcome: outcome, payer: payer, from: from, to: to, currency: currency,
                            minimumBilled: minBilled, maximumBilled: maxBilled, cursor: cursor), limit: limit)
                    try await audit.append(
                        AuditTrail.Record(
                            actor: WorkflowsCommand.actor, action: "claim.list", resourceType: "claim",
                            outcome: "success"))
                    return page
                } catch let error as ClaimQueryError {
                    throw ValidationError(error.description)
                }
            }
            if json { return try WorkflowsCommand.print(page) }
            for claim in page.claims {
                print(
                    "\(claim.id)  \(claim.identifier)  \(claim.dateOfService)  \(claim.outcome)  "
                        + "billed \(claim.currency) \(claim.billed)"
                        + (claim.approved.map { "  approved \(claim.currency) \($0)" } ?? ""))
            }
            if page.claims.isEmpty { print("no claims") }
            if let next = page.nextCursor { print("more: --cursor \(next)") }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One claim as JSON: lines, findings, eligibility, payments, denial and workflow history.")

        @ArgumentParser.Argument(help: "The claim id (a UUID).")
        var id: String

        func run() async throws {
            guard let uuid = UUID(uuidString: id) else { throw ValidationError("'\(id)' is not a claim id (a UUID)") }
            let found = try await ClaimsCommand.withBrowser { browser, audit in
                let detail = try await browser.detail(uuid)
                try await audit.append(
                    AuditTrail.Record(
                        actor: WorkflowsCommand.actor, action: "claim.read", resourceType: "claim",
                        resourceID: uuid.uuidString.lowercased(), outcome: detail == nil ? "failure" : "success"))
                return detail
            }
            guard let detail = found else { throw OperatorError("no claim \(id.lowercased())") }
            try WorkflowsCommand.print(detail)
        }
    }
}
