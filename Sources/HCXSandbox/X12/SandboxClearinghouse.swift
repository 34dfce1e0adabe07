import Foundation
import Logging
import RCMCore
import X12

/// The sandbox's X12 mode: a clearinghouse and payer in one, on folders, as a practice's
/// clearinghouse works. It answers the 270 eligibility inquiries RCM drops in the outbox with a
/// 271 (the member known and covered on the date: active; not covered: inactive; unknown:
/// rejected, AAA 75). It takes the 837P files, adjudicates every claim
/// with the same ``SandboxRules`` as over HCX (``SandboxAdjudicator``: the same member, cover,
/// limits and shares, counted against the same sum insured), and drops into RCM's inbox, per
/// round of files taken, a 999 per file (each 837 and 270 set accepted) and one 835 check paying every
/// claim decided in the round (several claims per check). Every third check also carries a
/// provider-level adjustment: 1.00 of interest (PLB L6, negative: added to the check).
///
/// The 835 per claim: CLP02 `1` when anything is paid, else `4` (denied); CLP05 the member's
/// share; per line SVC (the code and modifiers as billed), CAS `PR-2` for the member's share and
/// `CO` for the rest with the CARC of the sandbox's reason (``carc(_:)``). A claim decided before
/// is answered with the same decision; an interchange answered before (its file dropped
/// again, same sender and ISA13) is set aside unanswered, as a clearinghouse refuses a duplicate
/// interchange — it is never paid twice. Files taken are moved to `outbox/taken/`; a file that does
/// not parse to `outbox/refused/`.
public struct SandboxClearinghouse: Sendable {
    let rules: SandboxRules
    let store: SandboxStore
    let outbox: URL
    let inbox: URL
    let logger: Logger

    public init(rules: SandboxRules, store: SandboxStore, outbox: URL, inbox: URL, logger: Logger) {
        self.rules = rules
        self.store = store
        self.outbox = outbox
        self.inbox = inbox
        self.logger = logger
    }

    /// Reads the outbox every half second until cancelled.
    public func run() async {
        while !Task.isCancelled {
            do { try await processOutbox() } catch {
                logger.error("the sandbox clearinghouse could not work", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .milliseconds(500))
        }
    }

    /// Takes every 837P file waiting in the outbox and answers it.
    /// - Returns: how many claims were answered.
    @discardableResult
    public func processOutbox() async throws -> Int {
        let files = FileManager.default
        let taken = outbox.appendingPathComponent("taken")
        let refused = outbox.appendingPathComponent("refused")
        for folder in [outbox, taken, refused] {
            try files.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        var decided: [(ReceivedProfessionalClaim, ClaimAdjudication)] = []
        /// ISA06 and ISA08 of the first claims file: the 835 goes back the other way.
        var parties: (provider: String, clearinghouse: String)?
        var takenNames: [String] = []
        var answered: [(sender: String, controlNumber: String)] = []
        for name in try files.contentsOfDirectory(atPath: outbox.path).sorted() where !name.hasPrefix(".") {
            let file = outbox.appendingPathComponent(name)
            var isFolder: ObjCBool = false
            guard files.fileExists(atPath: file.path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
            try? files.removeItem(at: taken.appendingPathComponent(name))
            let interchange: X12Interchange
            do { interchange = try X12Interchange(text: text) } catch {
                logger.warning(
                    "the sandbox clearinghouse refused a file", metadata: ["file": "\(name)", "error": "\(error)"])
                try? files.removeItem(at: refused.appendingPathComponent(name))
                try files.moveItem(at: file, to: refused.appendingPathComponent(name))
                continue
            }
            try files.moveItem(at: file, to: taken.appendingPathComponent(name))
            // A clearinghouse takes an interchange once (it would answer a duplicate ISA13 with a
            // TA1 025): a file dropped again after it was answered is set aside unanswered.
            if try await store.isAnswered(x12Interchange: interchange.controlNumber, sender: interchange.senderID)
                || answered.contains(where: {
                    $0.sender == interchange.senderID && $0.controlNumber == interchange.controlNumber
                })
            {
                logger.info("duplicate interchange set aside", metadata: ["file": "\(name)"])
                continue
            }
            takenNames.append(name)
            answered.append((interchange.senderID, interchange.controlNumber))
            if parties == nil { parties = (interchange.senderID, interchange.receiverID) }
            var acknowledged: [Acknowledged] = []
            var inquiries: [(trace: String, memberID: String, last: String, first: String, date: ServiceDate?)] = []
            for group in interchange.groups {
                for set in group.transactionSets where ["837", "270"].contains(set.code) {
                    acknowledged.append(
                        Acknowledged(
                            functionalID: group.header[1], group: group.controlNumber, version: group.header[8],
                            code: set.code, set: set.controlNumber))
                    if set.code == "270" {
                        inquiries += try EligibilityInquiry270.inquiries(in: set).map {
                            ($0.traceNumber, $0.memberID, $0.lastName, $0.firstName, $0.serviceDate)
                        }
                        continue
                    }
                    for claim in try ReceivedProfessionalClaim.claims(in: set) {
                        decided.append(
                            (
                                claim,
                                try await decide(
                                    claim, correlation: "x12:\(interchange.controlNumber):\(claim.patientControlNumber)"
                                )
                            ))
                    }
                }
            }
            try X12FileDrop.write(
                try acknowledgment(acknowledged, interchange: interchange),
                named: "999-\(interchange.controlNumber).x12",
                in: inbox)
            if !inquiries.isEmpty {
                try X12FileDrop.write(
                    try eligibilityResponse(inquiries, interchange: interchange),
                    named: "271-\(interchange.controlNumber).x12", in: inbox)
            }
        }
        guard let first = decided.first else {
            try await store.markAnswered(x12Interchanges: answered, at: Date())
            return 0
        }
        do {
            let check = try await nextCheckNumber()
            try X12FileDrop.write(
                try remittance(
                    decided, check: check, provider: (first.0.billingProviderName, first.0.billingProviderNPI),
                    parties: parties ?? ("RCM", "RCMSANDBOX")),
                named: "835-SBX\(check).x12", in: inbox)
            try await store.markAnswered(x12Interchanges: answered, at: Date())
        } catch {
            // Taken back: the next round answers them, with the decisions recorded now.
            for name in takenNames {
                try? files.moveItem(at: taken.appendingPathComponent(name), to: outbox.appendingPathComponent(name))
            }
            throw error
        }
        logger.info("sandbox clearinghouse answered", metadata: ["claims": "\(decided.count)"])
        return decided.count
    }

    /// The decision on one claim: the recorded one when it was decided before.
    private func decide(_ received: ReceivedProfessionalClaim, correlation: String) async throws -> ClaimAdjudication {
        if let recorded = try await store.adjudication(correlationID: correlation) {
            return try JSONDecoder().decode(ClaimAdjudication.self, from: Data(recorded.utf8))
        }
        let currency = try CurrencyCode(rules.currency.uppercased())
        let lines = try received.lines.enumerated().map { index, line in
            let net = try Money(line.charge, currency)
            return ClaimLine(
                sequence: index + 1, submittedSequence: index + 1, service: BillingCode(system: nil, code: line.code),
                quantity: line.units,
                unitPrice: line.units == 0 ? net : Money(rounding: line.charge / line.units, currency), net: net)
        }
        let dates = received.lines.compactMap(\.serviceDate).compactMap(ServiceDate.init(x12:))
        let claim = Claim(
            identifier: ClaimIdentifier(system: nil, value: received.patientControlNumber), resourceID: nil,
            use: .claim,
            patientReference: received.memberID, payer: received.payerID, provider: received.billingProviderNPI,
            dateOfService: dates.min() ?? ServiceDate(Date(), in: TimeZone(identifier: "UTC")!), diagnoses: [],
            lines: lines, billedTotal: try Money(received.charge, currency), findings: [])
        let used = try await store.used(subscriberID: received.memberID, currency: currency)
        let decision = try SandboxAdjudicator(rules: rules).adjudicate(
            claim, subscriberID: received.memberID, preAuthRefs: [], usedBefore: used)
        try await store.recordAdjudication(
            correlationID: correlation, subscriberID: decision.subscriberID, consumed: decision.consumed,
            response: String(decoding: try JSONEncoder().encode(decision.adjudication), as: UTF8.self))
        return decision.adjudication
    }

    /// The CARC an 835 gives for a sandbox reason (X12 claim adjustment reason codes: 31 patient
    /// not identified as our insured, 27 expenses after coverage terminated, 26 before coverage,
    /// 96 non-covered charges, 119 benefit maximum reached, 197 pre-authorisation absent, 35
    /// lifetime benefit maximum reached); 45 (charge exceeds the fee schedule) otherwise.
    static func carc(_ reason: String) -> String {
        switch reason {
        case SandboxReason.memberUnknown: "31"
        case SandboxReason.coverageInactive: "27"
        case SandboxReason.notCoveredOnDate: "26"
        case SandboxReason.excludedService: "96"
        case SandboxReason.overLineLimit, SandboxReason.overClaimLimit: "119"
        case SandboxReason.sumInsuredExhausted: "35"
        case SandboxReason.preauthRequired: "197"
        default: "45"
        }
    }

    /// A transaction set the 999 acknowledges: its group's GS01, GS06 and GS08, its ST01 and ST02.
    private struct Acknowledged {
        let functionalID, group, version, code, set: String
    }

    /// A 999 accepting every 837 and 270 set of the interchange.
    private func acknowledgment(_ sets: [Acknowledged], interchange: X12Interchange) throws -> String {
        var segments: [X12Segment] = []
        for group in Dictionary(grouping: sets, by: \.group).sorted(by: { $0.key < $1.key }) {
            guard let first = group.value.first else { continue }
            segments.append(X12Segment("AK1", first.functionalID, group.key, first.version))
            for set in group.value {
                segments.append(X12Segment("AK2", set.code, set.set, set.version))
                segments.append(X12Segment("IK5", "A"))
            }
            let count = String(group.value.count)
            segments.append(X12Segment("AK9", "A", count, count, count))
        }
        let control = Int(interchange.controlNumber) ?? 1
        return try X12Writer(
            sender: .init(id: interchange.receiverID), receiver: .init(id: interchange.senderID), usage: "T"
        ).interchange(
            functionalID: "FA", version: "005010X231A1", interchangeControlNumber: control,
            groupControlNumber: control, sets: [("999", "0001", segments)], date: Date(),
            timeZone: TimeZone(identifier: "UTC")!)
    }

    /// A 271 answering the inquiries of one interchange, by the same rules as over HCX: a member
    /// the rules do not know is rejected (AAA 75, subscriber not found); one not covered on the
    /// date asked is inactive (EB01 6); otherwise active (EB01 1).
    private func eligibilityResponse(
        _ inquiries: [(trace: String, memberID: String, last: String, first: String, date: ServiceDate?)],
        interchange: X12Interchange
    ) throws -> String {
        let adjudicator = SandboxAdjudicator(rules: rules)
        let answers = inquiries.map { inquiry in
            let member = rules.member(inquiry.memberID)
            let today = ServiceDate(Date(), in: TimeZone(identifier: "UTC")!)
            let inactive = member.flatMap { adjudicator.coverageProblem($0, on: inquiry.date ?? today) } != nil
            return EligibilityResponse271.Answer(
                traceNumber: inquiry.trace, memberID: inquiry.memberID, lastName: inquiry.last,
                firstName: inquiry.first, benefitCodes: member == nil ? [] : [inactive ? "6" : "1"],
                rejectReasons: member == nil ? ["75"] : [])
        }
        let control = Int(interchange.controlNumber) ?? 1
        let segments = EligibilityResponse271(answers: answers).segments(
            payer: ("RCM SANDBOX PAYER", "SANDBOX"), provider: ("PROVIDER", "1234567893"), originatorID: "1512345678",
            reference: String(control),
            created: (ServiceDate(Date(), in: TimeZone(identifier: "UTC")!).x12Text, "0000"))
        return try X12Writer(
            sender: .init(id: interchange.receiverID), receiver: .init(id: interchange.senderID), usage: "T"
        ).interchange(
            functionalID: "HB", version: "005010X279A1", interchangeControlNumber: control,
            groupControlNumber: control, sets: [("271", "0001", segments)], date: Date(),
            timeZone: TimeZone(identifier: "UTC")!)
    }

    /// One 835 check paying every decided claim.
    private func remittance(
        _ decided: [(ReceivedProfessionalClaim, ClaimAdjudication)], check: Int, provider: (name: String, npi: String),
        parties: (provider: String, clearinghouse: String)
    ) throws -> String {
        func amount(_ value: Decimal) -> String { "\(value)" }
        var claims: [X12Segment] = []
        var total = Decimal(0)
        for (received, adjudication) in decided {
            let paid = adjudication.approvedTotal.amount
            total += paid
            let share = adjudication.lines.reduce(Decimal(0)) { $0 + ($1.copay?.amount ?? 0) }
            claims.append(
                X12Segment(
                    "CLP", received.patientControlNumber, paid > 0 ? "1" : "4", amount(received.charge), amount(paid),
                    share > 0 ? amount(share) : "", "12", "SBX\(check)-\(received.patientControlNumber)", "11", "1"))
            claims.append(
                X12Segment(
                    "NM1", "QC", "1", received.subscriberLastName, received.subscriberFirstName, "", "", "", "MI",
                    received.memberID))
            for (index, line) in received.lines.enumerated() {
                let decision = adjudication.lines.first { $0.sequence == index + 1 }
                let approved = decision?.approved.amount ?? 0
                let copay = decision?.copay?.amount ?? 0
                let rest = line.charge - approved - copay
                claims.append(
                    X12Segment(
                        "SVC",
                        elements: [
                            [line.qualifier, line.code] + line.modifiers, [amount(line.charge)], [amount(approved)], [],
                            [amount(line.units)],
                        ]))
                if let date = line.serviceDate { claims.append(X12Segment("DTM", "472", date)) }
                if copay > 0 { claims.append(X12Segment("CAS", "PR", "2", amount(copay))) }
                if rest != 0 {
                    let reason = decision?.reasons.first { $0 != SandboxReason.memberShare } ?? ""
                    claims.append(X12Segment("CAS", "CO", Self.carc(reason), amount(rest)))
                }
            }
        }
        let today = ServiceDate(Date(), in: TimeZone(identifier: "UTC")!).x12Text
        var adjustments: [X12Segment] = []
        if check % 3 == 0 {
            // Interest paid to the provider: a negative PLB adds to the check.
            adjustments.append(
                X12Segment(
                    "PLB",
                    elements: [
                        [provider.npi.isEmpty ? "SANDBOX" : provider.npi], ["\(today.prefix(4))1231"],
                        ["L6", "INTEREST\(check)"], ["-1.00"],
                    ]))
            total += 1
        }
        var segments = [
            total > 0
                ? X12Segment(
                    "BPR", "I", amount(total), "C", "ACH", "CCP", "01", "999999992", "DA", "123456", "1512345678", "",
                    "01", "999988880", "DA", "98765", today)
                : X12Segment("BPR", "H", "0", "C", "NON", "", "", "", "", "", "", "", "", "", "", "", today),
            X12Segment("TRN", "1", "SBX\(check)", "1512345678"),
            X12Segment("N1", "PR", "RCM SANDBOX PAYER"),
            X12Segment("N3", "1 SANDBOX WAY"),
            X12Segment("N4", "CHICAGO", "IL", "60601"),
            X12Segment("PER", "BL", "PROVIDER SERVICES", "TE", "8005550100"),
            X12Segment("N1", "PE", provider.name.isEmpty ? "PROVIDER" : provider.name, "XX", provider.npi),
            X12Segment("LX", "1"),
        ]
        segments += claims + adjustments
        return try X12Writer(
            sender: .init(id: parties.clearinghouse), receiver: .init(id: parties.provider), usage: "T"
        ).interchange(
            functionalID: "HP", version: "005010X221A1", interchangeControlNumber: check, groupControlNumber: check,
            sets: [("835", "0001", segments)], conventionReference: false, date: Date(),
            timeZone: TimeZone(identifier: "UTC")!)
    }

    /// The next check number (1, 2, …), kept in the sandbox's store across restarts.
    private func nextCheckNumber() async throws -> Int {
        try await store.nextSequence("x12-check")
    }
}
