import ArgumentParser
import Foundation
import RCMCore
import RCMServer

/// `rcm payers set|list`: the billing office's payer configurations (timely-filing limits and
/// pre-authorisation, applied by the scrub edits; the transport, HCX or X12); changes are audited
/// as `cli:<user>`.
struct PayersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payers",
        abstract: "Payer configurations: timely filing and pre-authorisation rules, and the transport (HCX or X12).",
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
        @ArgumentParser.Option(
            help: ArgumentHelp(
                "How the payer's claims travel: hcx (default) or x12.",
                discussion: """
                    x12: each claim's 270 and 837P files go to the outbox of RCM_X12_SETTINGS for the clearinghouse, and 999, 271 and 835 \
                    files are read from its inbox (docs/billing.md "X12 payers"); needs --x12-receiver-id, \
                    --x12-receiver-name and --x12-payer-id.
                    """))
        var transport = "hcx"
        @ArgumentParser.Option(help: "x12: the receiver's interchange id (ISA08, GS03), 2–15 characters.")
        var x12ReceiverID: String?
        @ArgumentParser.Option(help: "x12: the receiver's name (loop 1000B), e.g. the clearinghouse.")
        var x12ReceiverName: String?
        @ArgumentParser.Option(help: "x12: the payer id the receiver routes by (loop 2010BB NM109).")
        var x12PayerID: String?

        func validate() throws {
            guard !payer.trimmingCharacters(in: .whitespaces).isEmpty, payer.count <= 200 else {
                throw ValidationError("--payer: give the payer's identifier (1–200 characters)")
            }
            if let days = timelyFilingDays, !(1...3650).contains(days) {
                throw ValidationError("--timely-filing-days must be between 1 and 3650, got \(days)")
            }
            _ = try threshold()
            _ = try payerTransport()
        }

        func payerTransport() throws -> PayerTransport {
            let x12Options = [x12ReceiverID, x12ReceiverName, x12PayerID]
            switch transport {
            case "hcx":
                guard x12Options.allSatisfy({ $0 == nil }) else {
                    throw ValidationError(
                        "--x12-receiver-id, --x12-receiver-name and --x12-payer-id need --transport x12")
                }
                return .hcx
            case "x12":
                guard let x12ReceiverID, let x12ReceiverName, let x12PayerID else {
                    throw ValidationError(
                        "--transport x12 needs --x12-receiver-id, --x12-receiver-name and --x12-payer-id")
                }
                do {
                    return .x12(
                        try PayerTransport.X12Receiver(
                            receiverID: x12ReceiverID, receiverName: x12ReceiverName, payerID: x12PayerID))
                } catch { throw ValidationError("--transport x12: \(error)") }
            default:
                throw ValidationError("--transport must be hcx or x12, got '\(transport)'")
            }
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
                preauthorizationCodes: preauthCode, transport: try payerTransport())
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
                                "transport": AuditChange(
                                    before: before.map { Self.describe($0.transport) },
                                    after: Self.describe(configuration.transport)),
                            ].filter { $0.value.before != $0.value.after }))
                }
            }
            print(
                "\(payer): "
                    + (timelyFilingDays.map { "claims within \($0) days of the date of service" } ?? "no filing limit")
                    + (configuration.preauthorizationOver.map { "; pre-authorisation above \($0)" } ?? "")
                    + (preauthCode.isEmpty ? "" : "; pre-authorisation for \(preauthCode.joined(separator: ", "))")
                    + "; claims over \(Self.describe(configuration.transport))")
        }

        /// `hcx`, or `x12 to <receiver name> (<receiver id>), payer id <id>`.
        static func describe(_ transport: PayerTransport) -> String {
            switch transport {
            case .hcx: "hcx"
            case .x12(let to): "x12 to \(to.receiverName) (\(to.receiverID)), payer id \(to.payerID)"
            }
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
                        Set.describe(payer.transport),
                    ].joined(separator: "\t"))
            }
            if payers.isEmpty { print("no payer configurations") }
        }
    }
}
