/// Why a claim was denied or stopped, in the categories a billing office works by, and what to do
/// next.
public enum DenialCategory: String, Sendable, Codable, CaseIterable, Comparable {
    case eligibility
    case coding
    case authorization
    case timelyFiling = "timely_filing"
    case duplicate
    case nonCovered = "non_covered"
    case medicalNecessity = "medical_necessity"
    case informationRequested = "information_requested"
    case other

    /// The usual next action for the category.
    public var nextAction: DenialAction {
        switch self {
        case .eligibility: .correctAndResubmit  // verify coverage, then resubmit (or bill the patient)
        case .coding: .correctAndResubmit
        case .authorization: .requestPreauthorization
        case .timelyFiling: .appeal
        case .duplicate: .writeOff
        case .nonCovered: .writeOff
        case .medicalNecessity: .appeal
        case .informationRequested: .answerInformationRequest
        case .other: .appeal
        }
    }

    public static func < (lhs: DenialCategory, rhs: DenialCategory) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// The category of a payer's reason code: the sandbox's own labels, and X12 claim adjustment
    /// reason codes by number (codes only; their texts are X12's and not shipped), alone or after
    /// their 835 CAS group code (`CO-45`, `PR-1`, `OA-18`, `PI-50`, `CR-…`). `nil` when the code
    /// says nothing about a denial category (a co-pay, a contractual adjustment).
    public static func of(reason code: String) -> DenialCategory? {
        var code = code
        if code.count > 3, code.dropFirst(2).first == "-",
            ["CO", "PR", "OA", "PI", "CR"].contains(code.prefix(2).uppercased())
        {
            code.removeFirst(3)
        }
        return switch code.lowercased() {
        case "member-unknown", "coverage-inactive", "not-covered-on-date", "27", "26", "31", "200": .eligibility
        case "preauth-required", "197", "198", "15", "62": .authorization
        case "over-line-limit", "sum-insured-exhausted", "over-claim-limit", "119", "35": .nonCovered
        case "excluded-service", "96", "204", "49", "58": .nonCovered
        case "member-share", "1", "2", "3", "45", "253": nil
        case "18": .duplicate
        case "29": .timelyFiling
        case "50", "55", "56": .medicalNecessity
        case "16", "252", "226": .informationRequested
        case "11", "4", "5", "6", "7", "8", "9", "10", "146", "167", "181", "182": .coding
        default: .other
        }
    }

    /// The most frequent category among payer reason codes (ties by the category order); `other`
    /// when none names one.
    public static func dominant(in codes: [String]) -> DenialCategory {
        let counts = Dictionary(grouping: codes.compactMap(of(reason:)), by: { $0 }).mapValues(\.count)
        return counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? .other
    }

    /// The category of a denied or stopped claim, and the reasons it was read from: for a claim
    /// stopped before submission (`rejected`), its last error finding's (with every error's text);
    /// for a payer's denial, the dominant category of the payer's reason codes on its lines (with
    /// the distinct codes, sorted).
    public static func of(outcome: ClaimOutcome, findings: [ClaimFinding], lineReasons: [[String]]) -> (
        category: DenialCategory, reasons: [String]
    ) {
        let errors = findings.filter { $0.severity == .error }
        if outcome == .rejected, let last = errors.last { return (of(finding: last), errors.map(\.message)) }
        let codes = lineReasons.flatMap { $0 }
        return (dominant(in: codes), Array(Set(codes)).sorted())
    }

    /// The category of a finding that stopped a claim before submission, from its field and text.
    public static func of(finding: ClaimFinding) -> DenialCategory {
        if finding.field.hasSuffix("preAuthRef") { return .authorization }
        if finding.field.hasPrefix("Claim.diagnosis") || finding.field.hasPrefix("Claim.procedure") { return .coding }
        if finding.field.hasPrefix("Claim.item["),
            finding.field.contains(".productOrService") || finding.field.contains(".modifier")
        {
            return .coding
        }
        if finding.field.hasPrefix("Claim.insurance") { return .eligibility }
        if finding.message.hasPrefix("duplicate of claim") { return .duplicate }
        if finding.message.hasPrefix("timely filing:") { return .timelyFiling }
        return .other
    }
}

/// What a biller does next with a denied or stopped claim.
public enum DenialAction: String, Sendable, Codable, CaseIterable {
    /// Fix what is wrong and send a new claim that references the one it replaces.
    case correctAndResubmit = "correct_and_resubmit"
    /// Obtain a pre-authorisation, then resubmit with its reference.
    case requestPreauthorization = "request_preauthorization"
    /// Answer the payer's request for information (a CommunicationRequest).
    case answerInformationRequest = "answer_information_request"
    /// Contest the decision with the payer.
    case appeal
    /// Stop collecting, with a reason.
    case writeOff = "write_off"
}
