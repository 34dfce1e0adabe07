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
            help: "Only this category: \(NamedValue.known(DenialCategory.self)).")
        var category: String?

        @ArgumentParser.Option(help: "At most this many.")
        var limit = 50

        @ArgumentParser.Flag(help: "Print JSON.")
        var json = false

        func run() async throws {
            let wanted = try category.map { try CommandValue.parse($0, as: DenialCategory.self, option: "--category") }
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
