import ArgumentParser
import Foundation
import RCMCore
import RCMServer
import RevenueCycle

/// `rcm denials list`: the denial work queue; `appeal`, `write-off`, `resubmit` act on a case;
/// `reclassify` writes the queue's keys again.
struct DenialsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "denials", abstract: "The denial work queue: denied and stopped claims with their next action.",
        subcommands: [List.self, Appeal.self, WriteOff.self, Resubmit.self, Reclassify.self])

    /// Runs one action as `cli:<OS user>`, printing the result as JSON; errors as one line.
    static func act(
        _ claim: String,
        _ action: @escaping @Sendable (DenialDesk, ClaimID, String) async throws -> DenialResolution
    ) async throws {
        guard let uuid = UUID(uuidString: claim) else { throw ValidationError("'\(claim)' is not a claim id (a UUID)") }
        let resolution = try await WorkflowsCommand.withServices(exclusive: false) { services in
            do {
                return try await services.audit.change {
                    let resolution = try await action(services.desk, ClaimID(uuid), WorkflowsCommand.actor)
                    try await services.audit.append(
                        AuditTrail.Record(
                            actor: WorkflowsCommand.actor, action: DenialResolutionDTO.auditAction(resolution.action),
                            resourceType: "claim", resourceID: resolution.claimID.description, outcome: "success",
                            changes: [
                                "denial_action": AuditChange(before: nil, after: resolution.action.rawValue),
                                "replacement_claim": AuditChange(
                                    before: nil, after: resolution.replacementClaimID?.description),
                            ].filter { $0.value.after != nil }))
                    return resolution
                }
            } catch let error as DenialResolutionError {
                throw OperatorError(error.description)
            } catch let error as ClaimIntakeError {
                throw OperatorError("correction: \(error.description)")
            }
        }
        try WorkflowsCommand.print(DenialResolutionDTO(resolution))
    }

    struct Appeal: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record an appeal of a denied claim (it stays in the queue).")
        @ArgumentParser.Argument(help: "The claim id.") var claim: String
        @ArgumentParser.Option(help: "Why (required).") var reason: String

        func run() async throws {
            try await DenialsCommand.act(claim) { desk, id, actor in
                try await desk.appeal(id, reason: reason, actor: actor)
            }
        }
    }

    struct WriteOff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "write-off", abstract: "Write a denied or stopped claim off (it leaves the queue).")
        @ArgumentParser.Argument(help: "The claim id.") var claim: String
        @ArgumentParser.Option(help: "Why (required), e.g. 'small balance'.") var reason: String

        func run() async throws {
            try await DenialsCommand.act(claim) { desk, id, actor in
                try await desk.writeOff(id, reason: reason, actor: actor)
            }
        }
    }

    struct Resubmit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Resubmit a denied or stopped claim as a new claim that references it.",
            discussion: """
                Without --correction the same claim goes again under the identifier <identifier>-R<n> (e.g. once \
                the member's cover is fixed); with it, the corrected claim (an HCX claim bundle or an encounter, \
                JSON) is taken in instead. The new claim's workflow is started for the workers (rcm serve, \
                rcm worker).
                """)
        @ArgumentParser.Argument(help: "The claim id.") var claim: String
        @ArgumentParser.Option(help: "Why (required).") var reason: String
        @ArgumentParser.Option(help: "A file with the corrected claim (bundle or encounter JSON).") var correction:
            String?

        func run() async throws {
            var submission: ClaimSubmission?
            if let correction {
                let data = try OperatorFiles.data(correction)
                let entries = try IntakeReader().read(data)
                guard entries.count == 1 else {
                    throw ValidationError("--correction: give one claim bundle or encounter, not \(entries.count)")
                }
                submission = try entries[0].result.get()
            }
            let corrected = submission
            try await DenialsCommand.act(claim) { desk, id, actor in
                try await desk.resubmit(id, reason: reason, actor: actor, correction: corrected).0
            }
        }
    }

    struct Reclassify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Classify every denied and stopped claim again (the queue's category and amount at stake).",
            discussion: """
                RCM classifies a claim whenever it changes; run this after loading claims into the database by \
                other means than RCM (a migration of old data, Benchmarks/seed.sh), or when release notes ask \
                for it. Prints how many claims the queue holds, open or closed; recorded in the audit trail.
                """)

        func run() async throws {
            let count = try await WorkflowsCommand.withServices(exclusive: false) { services in
                try await services.audit.change {
                    let count = try await services.claims.reclassifyDenials()
                    try await services.audit.append(
                        AuditTrail.Record(
                            actor: WorkflowsCommand.actor, action: "denial.reclassify", resourceType: "claim",
                            outcome: "success"))
                    return count
                }
            }
            print("classified \(count) denied and stopped claims")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List denied and stopped claims, the most money at stake first, then the oldest.")

        @ArgumentParser.Option(
            help: "Only this category: \(NamedValue.known(DenialCategory.self)).")
        var category: String?

        @ArgumentParser.Option(help: "At most this many.")
        var limit = 50

        @ArgumentParser.Flag(help: "Print JSON.")
        var json = false

        func run() async throws {
            let wanted = try category.map { try CommandValue.parse($0, as: DenialCategory.self, option: "--category") }
            let cases = try await WorkflowsCommand.withServices(exclusive: false) { services in
                let cases = try await services.denials.cases(category: wanted, limit: limit)
                try await services.audit.append(
                    AuditTrail.Record(
                        actor: WorkflowsCommand.actor, action: "denial.list", resourceType: "claim", outcome: "success")
                )
                return cases
            }
            if json { return try WorkflowsCommand.print(cases.map(DenialDTO.init)) }
            for entry in cases {
                print(
                    "\(entry.claimID)  \(entry.identifier)  \(entry.outcome.rawValue)  \(entry.category.rawValue)  "
                        + "→ \(entry.nextAction.rawValue)  \(entry.atStake) at stake  \(entry.ageDays) days")
                if let reason = entry.reasons.first { print("    \(reason)") }
            }
            if cases.isEmpty { print("no denials") }
        }
    }
}
