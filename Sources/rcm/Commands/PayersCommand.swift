import ArgumentParser
import Foundation
import RCMCore
import RCMServer

/// `rcm payers set|list`: the billing office's payer configurations (timely-filing limits),
/// applied by the scrub edits; changes are audited as `cli:<user>`.
struct PayersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payers", abstract: "Payer configurations: timely-filing limits the scrub edits apply.",
        subcommands: [Set.self, List.self])

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a payer's configuration (replaces what was set before).")

        @ArgumentParser.Option(help: "The payer's identifier as claims name it, e.g. GICOFINDIA.")
        var payer: String
        @ArgumentParser.Option(help: "A display name.")
        var name: String?
        @ArgumentParser.Option(help: "Days from the date of service within which the payer accepts claims (1–3650).")
        var timelyFilingDays: Int?
        @ArgumentParser.Option(help: "Claims billed above this amount (decimal, in --currency) need pre-authorisation.")
        var preauthOver: String?
        @ArgumentParser.Option(help: "A service code that always needs pre-authorisation (repeat for more).")
        var preauthCode: [String] = []
        @ArgumentParser.Option(help: "Currency of --preauth-over (default INR).")
        var currency = "INR"

        func validate() throws {
            guard !payer.trimmingCharacters(in: .whitespaces).isEmpty, payer.count <= 200 else {
                throw ValidationError("--payer: give the payer's identifier (1–200 characters)")
            }
            if let days = timelyFilingDays, !(1...3650).contains(days) {
                throw ValidationError("--timely-filing-days must be between 1 and 3650, got \(days)")
            }
            _ = try threshold()
        }

        func threshold() throws -> Money? {
            guard let preauthOver else { return nil }
            guard let amount = DecimalText.parse(preauthOver), amount >= 0 else {
                throw ValidationError("--preauth-over: '\(preauthOver)' is not a non-negative decimal amount")
            }
            do { return try Money(amount, try CurrencyCode(currency)) } catch {
                throw ValidationError("--preauth-over: \(error)")
            }
        }

        func run() async throws {
            let configuration = PayerConfiguration(
                payer: payer, name: name, timelyFilingDays: timelyFilingDays, preauthorizationOver: try threshold(),
                preauthorizationCodes: preauthCode)
            try await WorkflowsCommand.withServices(exclusive: false) { services in
                try await services.audit.change { [payer, name, timelyFilingDays, preauthCode] in
                    let before = try await services.payers.save(configuration)
                    try await services.audit.append(
                        AuditTrail.Record(
                            actor: WorkflowsCommand.actor, action: "payer.update", resourceType: "payer",
                            resourceID: payer, outcome: "success",
                            changes: [
                                "timely_filing_days": AuditChange(
                                    before: before?.timelyFilingDays.map(String.init),
                                    after: timelyFilingDays.map(String.init)),
                                "name": AuditChange(before: before?.name, after: name),
                                "preauthorization_over": AuditChange(
                                    before: before?.preauthorizationOver?.description,
                                    after: configuration.preauthorizationOver?.description),
                                "preauthorization_codes": AuditChange(
                                    before: before.flatMap {
                                        $0.preauthorizationCodes.isEmpty
                                            ? nil : $0.preauthorizationCodes.joined(separator: ",")
                                    },
                                    after: preauthCode.isEmpty ? nil : preauthCode.joined(separator: ",")),
                            ].filter { $0.value.before != $0.value.after }))
                }
            }
            print(
                "\(payer): "
                    + (timelyFilingDays.map { "claims within \($0) days of the date of service" } ?? "no filing limit")
                    + (configuration.preauthorizationOver.map { "; pre-authorisation above \($0)" } ?? "")
                    + (preauthCode.isEmpty ? "" : "; pre-authorisation for \(preauthCode.joined(separator: ", "))"))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List payer configurations.")

        func run() async throws {
            let payers = try await WorkflowsCommand.withServices(exclusive: false) { try await $0.payers.all() }
            for payer in payers {
                print(
                    [
                        payer.payer, payer.name ?? "-", payer.timelyFilingDays.map { "\($0) days" } ?? "no limit",
                        payer.preauthorizationOver.map { "pre-auth above \($0)" } ?? "-",
                        payer.preauthorizationCodes.isEmpty ? "-" : payer.preauthorizationCodes.joined(separator: ","),
                    ].joined(separator: "\t"))
            }
            if payers.isEmpty { print("no payer configurations") }
        }
    }
}
