import Foundation

/// An 835 health care claim payment/advice (ASC X12N 005010X221A1) as read from one transaction
/// set: the payment (BPR), its trace number (TRN: the check or EFT number, the natural key of "this
/// remittance was posted already"), the payer and payee (N1*PR, N1*PE), one ``ClaimPayment`` per
/// CLP with every CAS adjustment (all reason/amount triplets of a segment) and its service lines
/// (SVC), and the provider-level adjustments (PLB), kept apart from the claims.
///
/// Amounts are exact decimals in the currency of the payment (USD unless a CUR segment says
/// otherwise). Sources: `../shared/docs/reference/x12.md` (the guide's loops and balancing rules).
public struct Remittance835: Sendable, Hashable {
    /// One CAS reason with its amount (and units, when given): group code `CO` contractual, `PR`
    /// patient responsibility, `OA` other, `PI` payer initiated, `CR` correction; the reason is a
    /// claim adjustment reason code (CARC).
    public struct Adjustment: Sendable, Hashable {
        public let group: String
        public let reason: String
        public let amount: Decimal
        public let quantity: Decimal?
    }

    /// A service line (SVC loop): the procedure as adjudicated (`HC:99214`), the procedure as billed
    /// when the payer changed it (SVC06: modifiers dropped or reordered), charge, payment, units,
    /// service date (DTM*472) and the line's adjustments.
    public struct ServicePayment: Sendable, Hashable {
        public let qualifier: String
        public let code: String
        public let modifiers: [String]
        /// SVC06, when the payer adjudicated another code or other modifiers than billed.
        public let billedCode: String?
        public let billedModifiers: [String]
        public let charge: Decimal
        public let paid: Decimal
        public let units: Decimal?
        public let serviceDate: String?
        public let adjustments: [Adjustment]
        /// AMT*B6: the allowed amount, when sent.
        public let allowed: Decimal?
    }

    /// A claim (CLP loop): CLP01 the patient control number RCM sent in CLM01, CLP02 the claim
    /// status (1/2/3 processed as primary/secondary/tertiary, 4 denied, 19/20/21 processed and
    /// forwarded, 22 reversal of a previous payment, 23 not our claim, 25 predetermination), charge,
    /// payment, patient responsibility, the payer's claim control number, claim-level adjustments and
    /// service lines.
    public struct ClaimPayment: Sendable, Hashable {
        public let patientControlNumber: String
        public let status: String
        public let charge: Decimal
        public let paid: Decimal
        public let patientResponsibility: Decimal?
        public let payerClaimControlNumber: String?
        public let adjustments: [Adjustment]
        public let services: [ServicePayment]
        /// The 1-based position of its CLP in the file (for messages).
        public let segmentNumber: Int

        /// Every adjustment of the claim, its own and its lines'.
        public var allAdjustments: [Adjustment] { adjustments + services.flatMap(\.adjustments) }
    }

    /// A provider-level adjustment (PLB): not tied to any claim (interest, forward balance,
    /// withholding, overpayment recovery), with its reason code (`WO`, `L6`, `FB`, `72`, …), the
    /// payer's reference and amount — positive amounts reduce the payment, negative ones add to it.
    public struct ProviderAdjustment: Sendable, Hashable {
        public let provider: String
        public let fiscalPeriodDate: String
        public let reason: String
        public let reference: String?
        public let amount: Decimal
    }

    /// BPR01 (`I` remittance with payment, `H` notification only…), BPR02 the total actually paid,
    /// BPR04 the method (`ACH`, `CHK`, `NON`…), BPR16 the payment's date (CCYYMMDD).
    public let handling: String
    public let paymentAmount: Decimal
    public let paymentMethod: String
    public let paymentDate: String
    /// TRN02: the check or EFT trace number; TRN03: the payer's id.
    public let traceNumber: String
    public let payerTraceID: String?
    /// CUR02 when sent, else `USD`.
    public let currency: String
    /// Whether a CUR segment named ``currency``.
    public var currencyStated: Bool { currencySegment != nil }
    /// The position of the CUR segment in the file, when sent.
    public let currencySegment: Int?
    public let payerName: String
    public let payeeName: String
    /// N1*PE's id (N104), with its qualifier N103 (`XX` NPI, `FI` tax id).
    public let payeeID: String?
    public let claims: [ClaimPayment]
    public let providerAdjustments: [ProviderAdjustment]
}

extension Remittance835 {
    /// Reads one 835 transaction set.
    /// - Throws: ``X12Error`` naming the segment: a segment the 835 does not have where it stands
    ///   (`unknown segment in loop …`), a missing BPR/TRN/N1*PR/N1*PE, an amount that is not a
    ///   decimal, a CAS group code that is not CO/PR/OA/PI/CR, and the balancing the guide requires:
    ///   per line SVC02 − Σ CAS = SVC03, per claim CLP03 − Σ CAS (claim and lines) = CLP04, and
    ///   BPR02 = Σ CLP04 − Σ PLB — refused whole, with the difference named.
    public init(_ set: X12Interchange.TransactionSet) throws {
        guard set.code == "835" else {
            throw X12Error(segment: set.firstSegment, "ST01 is \(set.code): not an 835")
        }
        var handling = ""
        var paymentAmount: Decimal?
        var paymentMethod = ""
        var paymentDate = ""
        var traceNumber: String?
        var payerTraceID: String?
        var currency = "USD"
        var currencySegment: Int?
        var payerName: String?
        var payeeName: String?
        var payeeID: String?
        var claims: [ClaimPayment] = []
        var plb: [ProviderAdjustment] = []

        // The claim and service being read.
        struct OpenService {
            var segment: X12Segment
            var number: Int
            var date: String?
            var adjustments: [Adjustment] = []
            var allowed: Decimal?
        }
        struct OpenClaim {
            var segment: X12Segment
            var number: Int
            var adjustments: [Adjustment] = []
            var services: [ServicePayment] = []
            var service: OpenService?
        }
        var claim: OpenClaim?
        enum Area { case header, payer, payee, detail, summary }
        var area = Area.header

        func decimal(_ text: String, _ name: String, _ number: Int) throws -> Decimal {
            guard let value = X12Decimal.parse(text) else {
                throw X12Error(segment: number, "\(name) '\(text.prefix(20))' is not a decimal amount")
            }
            return value
        }
        func adjustments(_ segment: X12Segment, _ number: Int) throws -> [Adjustment] {
            let group = segment[1]
            guard ["CO", "PR", "OA", "PI", "CR"].contains(group) else {
                throw X12Error(
                    segment: number, "CAS01 '\(group)' is not a claim adjustment group code (CO, PR, OA, PI, CR)")
            }
            var found: [Adjustment] = []
            // Up to six reason/amount/quantity triplets: CAS02-04, 05-07, … 17-19.
            for start in stride(from: 2, through: 17, by: 3) where !segment[start].isEmpty {
                found.append(
                    Adjustment(
                        group: group, reason: segment[start],
                        amount: try decimal(segment[start + 1], "CAS\(start + 1)", number),
                        quantity: segment[start + 2].isEmpty
                            ? nil : try decimal(segment[start + 2], "CAS\(start + 2)", number)))
            }
            guard !found.isEmpty else { throw X12Error(segment: number, "CAS without a reason code") }
            return found
        }
        func procedure(_ components: [String]) -> (String, String, [String]) {
            (
                components.first ?? "", components.count > 1 ? components[1] : "",
                Array(components.dropFirst(2).prefix(4)).filter { !$0.isEmpty }
            )
        }
        func closeService() throws {
            guard var open = claim, let service = open.service else { return }
            let (qualifier, code, modifiers) = procedure(service.segment.components(1))
            let billed = service.segment.components(6)
            let line = ServicePayment(
                qualifier: qualifier, code: code, modifiers: modifiers,
                billedCode: billed.count > 1 ? billed[1] : nil,
                billedModifiers: billed.count > 1 ? procedure(billed).2 : [],
                charge: try decimal(service.segment[2], "SVC02", service.number),
                paid: try decimal(service.segment[3], "SVC03", service.number),
                units: service.segment[5].isEmpty ? nil : try decimal(service.segment[5], "SVC05", service.number),
                serviceDate: service.date, adjustments: service.adjustments, allowed: service.allowed)
            let adjusted = line.adjustments.reduce(Decimal(0)) { $0 + $1.amount }
            guard line.charge - adjusted == line.paid else {
                throw X12Error(
                    segment: service.number,
                    "the line does not balance: SVC02 \(line.charge) − adjustments \(adjusted) = "
                        + "\(line.charge - adjusted), but SVC03 paid \(line.paid) (difference \(line.charge - adjusted - line.paid))"
                )
            }
            open.services.append(line)
            open.service = nil
            claim = open
        }
        func closeClaim() throws {
            try closeService()
            guard let open = claim else { return }
            let segment = open.segment
            let payment = ClaimPayment(
                patientControlNumber: segment[1], status: segment[2],
                charge: try decimal(segment[3], "CLP03", open.number),
                paid: try decimal(segment[4], "CLP04", open.number),
                patientResponsibility: segment[5].isEmpty ? nil : try decimal(segment[5], "CLP05", open.number),
                payerClaimControlNumber: segment[7].isEmpty ? nil : segment[7], adjustments: open.adjustments,
                services: open.services, segmentNumber: open.number)
            let adjusted = payment.allAdjustments.reduce(Decimal(0)) { $0 + $1.amount }
            // Lines sent without their own adjustments carry none; the claim's charge must still balance.
            guard payment.charge - adjusted == payment.paid else {
                throw X12Error(
                    segment: open.number,
                    "claim \(payment.patientControlNumber) does not balance: CLP03 \(payment.charge) − adjustments "
                        + "\(adjusted) = \(payment.charge - adjusted), but CLP04 paid \(payment.paid) "
                        + "(difference \(payment.charge - adjusted - payment.paid))")
            }
            claims.append(payment)
            claim = nil
        }

        for (offset, segment) in set.segments.enumerated() {
            let number = set.firstSegment + 1 + offset
            func unknown() -> X12Error {
                X12Error(segment: number, "unknown segment \(segment.id) in the 835's \(area) area")
            }
            switch (area, segment.id) {
            case (.header, "BPR"):
                handling = segment[1]
                paymentAmount = try decimal(segment[2], "BPR02", number)
                paymentMethod = segment[4]
                paymentDate = segment[16]
            case (.header, "TRN"):
                traceNumber = segment[2]
                payerTraceID = segment[3].isEmpty ? nil : segment[3]
            case (.header, "CUR"):
                currency = segment[2]
                currencySegment = number
            case (.header, "REF"), (.header, "DTM"):
                break
            case (.header, "N1") where segment[1] == "PR", (.payee, "N1") where segment[1] == "PR":
                payerName = segment[2]
                area = .payer
            case (.payer, "N1") where segment[1] == "PE", (.header, "N1") where segment[1] == "PE":
                payeeName = segment[2]
                payeeID = segment[4].isEmpty ? nil : segment[4]
                area = .payee
            case (.payer, "N3"), (.payer, "N4"), (.payer, "REF"), (.payer, "PER"),
                (.payee, "N3"), (.payee, "N4"), (.payee, "REF"), (.payee, "RDM"):
                break
            case (.payee, "LX"), (.payer, "LX"), (.detail, "LX"):
                try closeClaim()
                area = .detail
            case (.detail, "TS3"), (.detail, "TS2"):
                guard claim == nil else { throw unknown() }
            case (.detail, "CLP"):
                try closeClaim()
                claim = OpenClaim(segment: segment, number: number)
            case (.detail, "CAS"):
                guard claim != nil else { throw unknown() }
                let found = try adjustments(segment, number)
                if claim?.service != nil { claim?.service?.adjustments += found } else { claim?.adjustments += found }
            case (.detail, "SVC"):
                guard claim != nil else { throw unknown() }
                try closeService()
                claim?.service = OpenService(segment: segment, number: number)
            case (.detail, "DTM"):
                guard claim != nil else { throw unknown() }
                if claim?.service != nil, ["472", "150"].contains(segment[1]) { claim?.service?.date = segment[2] }
            case (.detail, "AMT"):
                guard claim != nil else { throw unknown() }
                if claim?.service != nil, segment[1] == "B6" {
                    claim?.service?.allowed = try decimal(segment[2], "AMT02", number)
                }
            case (.detail, "NM1"), (.detail, "MIA"), (.detail, "MOA"), (.detail, "REF"), (.detail, "PER"),
                (.detail, "QTY"), (.detail, "LQ"):
                guard claim != nil else { throw unknown() }
            case (.detail, "PLB"), (.summary, "PLB"), (.payee, "PLB"):
                try closeClaim()
                area = .summary
                // PLB03/05/07/09/11/13: reason:reference composites, each followed by its amount.
                for start in stride(from: 3, through: 13, by: 2) where !segment.components(start).isEmpty {
                    let composite = segment.components(start)
                    guard !(composite.first ?? "").isEmpty else { continue }
                    plb.append(
                        ProviderAdjustment(
                            provider: segment[1], fiscalPeriodDate: segment[2], reason: composite[0],
                            reference: composite.count > 1 && !composite[1].isEmpty ? composite[1] : nil,
                            amount: try decimal(segment[start + 1], "PLB\(start + 1)", number)))
                }
            default:
                throw unknown()
            }
        }
        try closeClaim()
        let start = set.firstSegment
        guard let paymentAmount else { throw X12Error(segment: start, "the 835 has no BPR (financial information)") }
        guard let traceNumber, !traceNumber.isEmpty else {
            throw X12Error(segment: start, "the 835 has no TRN trace number (the check or EFT number)")
        }
        guard let payerName else { throw X12Error(segment: start, "the 835 has no N1*PR (payer)") }
        guard let payeeName else { throw X12Error(segment: start, "the 835 has no N1*PE (payee)") }
        let paid = claims.reduce(Decimal(0)) { $0 + $1.paid }
        let adjusted = plb.reduce(Decimal(0)) { $0 + $1.amount }
        guard paymentAmount == paid - adjusted else {
            throw X12Error(
                segment: start + 1,
                "the check does not balance: BPR02 \(paymentAmount) ≠ Σ CLP04 \(paid) − Σ PLB \(adjusted) = "
                    + "\(paid - adjusted) (difference \(paymentAmount - (paid - adjusted)))")
        }
        self.init(
            handling: handling, paymentAmount: paymentAmount, paymentMethod: paymentMethod, paymentDate: paymentDate,
            traceNumber: traceNumber, payerTraceID: payerTraceID, currency: currency,
            currencySegment: currencySegment, payerName: payerName,
            payeeName: payeeName, payeeID: payeeID, claims: claims, providerAdjustments: plb)
    }
}

/// X12's decimal numbers (data type R): an optional minus sign, digits, an optional point; read
/// exactly (never through `Double`).
enum X12Decimal {
    static func parse(_ text: String) -> Decimal? {
        guard !text.isEmpty, text.count <= 18,
            text.range(of: #"^-?([0-9]+(\.[0-9]*)?|\.[0-9]+)$"#, options: .regularExpression) != nil
        else { return nil }
        return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
    }
}
