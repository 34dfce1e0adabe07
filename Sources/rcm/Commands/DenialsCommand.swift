import ArgumentParser
import Foundation
import RCMCore
import RCMServer

/// `rcm denials list`: the denial work queue.
struct DenialsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "denials", abstract: "The denial work queue: denied and stopped claims with their next action.",
        subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List denied and stopped claims, the most money at stake first, then the oldest.")

        @ArgumentParser.Option(
            help: "Only this category: \(DenialCategory.allCases.map(\.rawValue).joined(separator: ", ")).")
        var category: String?

        @ArgumentParser.Option(help: "At most this many.")
        var limit = 50

        @ArgumentParser.Flag(help: "Print JSON.")
        var json = false

        func run() async throws {
            let wanted = try category.map { text in
                guard let parsed = DenialCategory(rawValue: text.lowercased()) else {
                    throw ValidationError(
                        "--category must be one of \(DenialCategory.allCases.map(\.rawValue).joined(separator: ", ")), got \(text)"
                    )
                }
                return parsed
            }
            let cases = try await WorkflowsCommand.withServices(exclusive: false) { services in
                try await services.denials.cases(category: wanted, limit: limit)
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
