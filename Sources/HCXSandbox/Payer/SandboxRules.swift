import FHIR
import Foundation
import RCMCore

/// The sandbox payer's policy book, read from a JSON rules file (docs/integrating.md "HCX sandbox"; the
/// documented default is `sandbox/rules.json`, equal to ``SandboxRules/default``).
///
/// Amounts are JSON strings of plain decimal text in major units of ``currency`` (`"50000.00"`
/// rupees for INR), never binary floating point. Dates are `YYYY-MM-DD`. Reason labels are the
/// sandbox's own short labels (``SandboxReason``), not a licensed code list.
public struct SandboxRules: Sendable, Hashable, Codable {
    /// An insured member: the `Coverage.subscriberId` a claim or eligibility request names.
    public struct Member: Sendable, Hashable, Codable {
        /// `Coverage.subscriberId` (falls back to `Coverage.identifier[0].value`).
        public var subscriberID: String
        public var name: String?
        /// `active` (in force), or anything else (`cancelled`, `suspended`, …: not in force).
        public var status: String
        /// First and last day of cover, inclusive (`coverage_end` absent: open-ended).
        public var coverageStart: ServiceDate
        public var coverageEnd: ServiceDate?
        /// The policy's sum insured over the whole run, in major units of ``SandboxRules/currency``.
        public var sumInsured: SandboxAmount
        /// The member's share of each eligible amount after the deductible, in percent (0–100).
        public var copayPercent: SandboxAmount?
        /// Deducted from each claim's eligible total before co-pay, in major units.
        public var deductible: SandboxAmount?

        public init(
            subscriberID: String, name: String? = nil, status: String = "active", coverageStart: ServiceDate,
            coverageEnd: ServiceDate? = nil, sumInsured: SandboxAmount, copayPercent: SandboxAmount? = nil,
            deductible: SandboxAmount? = nil
        ) {
            self.subscriberID = subscriberID
            self.name = name
            self.status = status
            self.coverageStart = coverageStart
            self.coverageEnd = coverageEnd
            self.sumInsured = sumInsured
            self.copayPercent = copayPercent
            self.deductible = deductible
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case subscriberID = "subscriber_id"
            case name, status
            case coverageStart = "coverage_start"
            case coverageEnd = "coverage_end"
            case sumInsured = "sum_insured"
            case copayPercent = "copay_percent"
            case deductible
        }
    }

    /// What the policy says about one billing code (`Claim.item.productOrService.coding[].code`).
    public struct ServiceRule: Sendable, Hashable, Codable {
        public var code: String
        /// Not covered at all (reason `excluded-service`).
        public var excluded: Bool?
        /// The most the policy covers on one line with this code, in major units (reason `over-line-limit`).
        public var maxPerLine: SandboxAmount?
        /// A claim with this code needs a pre-authorisation reference (reason `preauth-required`).
        public var preauthRequired: Bool?
        /// The payer asks for more information (a CommunicationRequest) before deciding.
        public var requestInformation: Bool?

        public init(
            code: String, excluded: Bool? = nil, maxPerLine: SandboxAmount? = nil, preauthRequired: Bool? = nil,
            requestInformation: Bool? = nil
        ) {
            self.code = code
            self.excluded = excluded
            self.maxPerLine = maxPerLine
            self.preauthRequired = preauthRequired
            self.requestInformation = requestInformation
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case code, excluded
            case maxPerLine = "max_per_line"
            case preauthRequired = "preauth_required"
            case requestInformation = "request_information"
        }
    }

    /// When the payment for an approved claim is announced.
    public struct PaymentRule: Sendable, Hashable, Codable {
        /// Send a PaymentNotice through `/paymentnotice/request` for every claim with a benefit.
        public var send: Bool
        /// Seconds after the ClaimResponse.
        public var delaySeconds: Double

        public init(send: Bool = true, delaySeconds: Double = 0.5) {
            self.send = send
            self.delaySeconds = delaySeconds
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case send
            case delaySeconds = "delay_seconds"
        }
    }

    /// ISO 4217 code of every amount in the file; claims in another currency are refused with
    /// `ERR_DOMAIN_PROCESSING`.
    public var currency: String
    public var members: [Member]
    public var services: [ServiceRule]
    /// A claim billed above this total needs a pre-authorisation reference (reason `preauth-required`).
    public var preauthRequiredOver: SandboxAmount?
    /// The most approved on one claim, in major units (reason `over-claim-limit`).
    public var claimLimit: SandboxAmount?
    public var payment: PaymentRule
    /// Faults to inject (none by default).
    public var faults: SandboxFaults

    public init(
        currency: String, members: [Member], services: [ServiceRule] = [], preauthRequiredOver: SandboxAmount? = nil,
        claimLimit: SandboxAmount? = nil, payment: PaymentRule = PaymentRule(), faults: SandboxFaults = SandboxFaults()
    ) {
        self.currency = currency
        self.members = members
        self.services = services
        self.preauthRequiredOver = preauthRequiredOver
        self.claimLimit = claimLimit
        self.payment = payment
        self.faults = faults
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case currency, members, services
        case preauthRequiredOver = "preauth_required_over"
        case claimLimit = "claim_limit"
        case payment, faults
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        currency = try container.decode(String.self, forKey: .currency)
        members = try container.decode([Member].self, forKey: .members)
        services = try container.decodeIfPresent([ServiceRule].self, forKey: .services) ?? []
        preauthRequiredOver = try container.decodeIfPresent(SandboxAmount.self, forKey: .preauthRequiredOver)
        claimLimit = try container.decodeIfPresent(SandboxAmount.self, forKey: .claimLimit)
        payment = try container.decodeIfPresent(PaymentRule.self, forKey: .payment) ?? PaymentRule()
        faults = try container.decodeIfPresent(SandboxFaults.self, forKey: .faults) ?? SandboxFaults()
    }

    /// The member with this subscriber id.
    public func member(_ subscriberID: String) -> Member? {
        members.first { $0.subscriberID.caseInsensitiveCompare(subscriberID) == .orderedSame }
    }

    /// The rule for a billing code.
    public func service(_ code: String) -> ServiceRule? {
        services.first { $0.code.caseInsensitiveCompare(code) == .orderedSame }
    }

    /// Reads and checks a rules file.
    /// - Throws: ``SandboxRulesError`` naming the file and the field at fault.
    public static func load(contentsOf path: String) throws -> SandboxRules {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SandboxRulesError("\(path): cannot be read")
        }
        return try decode(data, source: path)
    }

    /// Reads and checks rules from JSON bytes.
    /// - Parameter source: what to call the input in errors (a file path).
    /// - Throws: ``SandboxRulesError`` naming the field at fault.
    public static func decode(_ data: Data, source: String = "rules") throws -> SandboxRules {
        // A misspelt key would silently mean "not set" (a fault rate of 0, no limit): refuse it.
        if let json = try? JSONValue(parsing: data) {
            try checkKnownKeys(json, source: source)
        }
        let rules: SandboxRules
        do {
            rules = try JSONDecoder().decode(SandboxRules.self, from: data)
        } catch let error as DecodingError {
            throw SandboxRulesError("\(source): \(SandboxRulesError.describe(error))")
        } catch {
            throw SandboxRulesError("\(source): \(error)")
        }
        try rules.check(source: source)
        return rules
    }

    /// The keys each object of a rules file may have.
    static let knownKeys: [String: Set<String>] = [
        "": Set(CodingKeys.allCases.map(\.rawValue)),
        "members[]": Set(Member.CodingKeys.allCases.map(\.rawValue)),
        "services[]": Set(ServiceRule.CodingKeys.allCases.map(\.rawValue)),
        "payment": Set(PaymentRule.CodingKeys.allCases.map(\.rawValue)),
        "faults": Set(SandboxFaults.CodingKeys.allCases.map(\.rawValue)),
    ]

    static func checkKnownKeys(_ json: JSONValue, source: String) throws {
        func check(_ value: JSONValue?, _ table: String, _ path: String) throws {
            guard case .object(let members)? = value, let known = knownKeys[table] else { return }
            if let unknown = members.keys.sorted().first(where: { !known.contains($0) }) {
                let place = path.isEmpty ? unknown : "\(path).\(unknown)"
                throw SandboxRulesError(
                    "\(source): \(place): unknown key (known here: \(known.sorted().joined(separator: ", ")))")
            }
        }
        try check(json, "", "")
        for list in ["members", "services"] {
            if case .array(let items)? = json[list] {
                for (index, item) in items.enumerated() { try check(item, "\(list)[]", "\(list)[\(index)]") }
            }
        }
        try check(json["payment"], "payment", "payment")
        try check(json["faults"], "faults", "faults")
    }

    /// Coverage statuses (FHIR R4 `Coverage.status`, fm-status): only `active` is in force.
    static let coverageStatuses: Set<String> = ["active", "cancelled", "draft", "entered-in-error"]

    /// The checks JSON decoding cannot make.
    func check(source: String) throws {
        guard let currencyCode = try? CurrencyCode(currency) else {
            throw SandboxRulesError("\(source): currency: '\(currency)' is not an ISO 4217 code")
        }
        func exact(_ amount: SandboxAmount?, _ place: String) throws {
            guard let amount, amount.money(currencyCode).amount != amount.value else { return }
            throw SandboxRulesError(
                "\(source): \(place): \(amount) has more decimals than \(currencyCode)'s minor unit")
        }
        var subscribers: Set<String> = []
        for (index, member) in members.enumerated() {
            let place = "members[\(index)]"
            guard subscribers.insert(member.subscriberID.lowercased()).inserted else {
                throw SandboxRulesError("\(source): \(place).subscriber_id: '\(member.subscriberID)' appears twice")
            }
            guard Self.coverageStatuses.contains(member.status.lowercased()) else {
                throw SandboxRulesError(
                    "\(source): \(place).status: '\(member.status)' is not one of "
                        + Self.coverageStatuses.sorted().joined(separator: ", "))
            }
            if let end = member.coverageEnd, end < member.coverageStart {
                throw SandboxRulesError("\(source): \(place).coverage_end: before coverage_start")
            }
            if let copay = member.copayPercent, copay.value > 100 {
                throw SandboxRulesError("\(source): \(place).copay_percent: more than 100")
            }
            try exact(member.sumInsured, "\(place).sum_insured")
            try exact(member.deductible, "\(place).deductible")
        }
        var codes: Set<String> = []
        for (index, service) in services.enumerated() {
            guard codes.insert(service.code.lowercased()).inserted else {
                throw SandboxRulesError("\(source): services[\(index)].code: '\(service.code)' appears twice")
            }
            try exact(service.maxPerLine, "services[\(index)].max_per_line")
        }
        try exact(claimLimit, "claim_limit")
        try exact(preauthRequiredOver, "preauth_required_over")
        guard payment.delaySeconds >= 0, payment.delaySeconds <= 3600 else {
            throw SandboxRulesError("\(source): payment.delay_seconds: must be between 0 and 3600")
        }
        try faults.check(source: source)
    }

    /// The documented default (the content of `sandbox/rules.json`): three members, a room-rent
    /// line limit, an excluded consumable, pre-authorisation above INR 500,000, no faults.
    public static let `default` = SandboxRules(
        currency: "INR",
        members: [
            // The member of the shared HCX samples (Coverage.subscriberId 2XX8971).
            Member(
                subscriberID: "2XX8971", name: "HCX sample member", coverageStart: date(2020, 1, 1),
                coverageEnd: date(2030, 12, 31), sumInsured: "500000.00", copayPercent: "10"),
            // The members of RCM's own samples (samples/).
            Member(
                subscriberID: "MEM-55012", name: "Outpatient sample member", coverageStart: date(2026, 4, 1),
                coverageEnd: date(2027, 3, 31), sumInsured: "50000.00"),
            Member(
                subscriberID: "MEM-55890", name: "Inpatient sample member", coverageStart: date(2026, 4, 1),
                coverageEnd: date(2027, 3, 31), sumInsured: "100000.00"),
            Member(
                subscriberID: "MEM-LAPSED", name: "Lapsed policy", status: "cancelled", coverageStart: date(2024, 4, 1),
                coverageEnd: date(2025, 3, 31), sumInsured: "100000.00"),
        ],
        services: [
            // Room rent capped per line, as Indian indemnity policies do.
            ServiceRule(code: "E101021", maxPerLine: "50000.00"),
            ServiceRule(code: "IP-ROOM-TWIN", maxPerLine: "3000.00"),
            // Consumables are not payable.
            ServiceRule(code: "406003", excluded: true),
            ServiceRule(code: "PHARM-IV-SET", excluded: true),
        ],
        preauthRequiredOver: "500000.00")

    private static func date(_ year: Int, _ month: Int, _ day: Int) -> ServiceDate {
        // Literal dates above are valid by inspection.
        try! ServiceDate(year: year, month: month, day: day)
    }
}
