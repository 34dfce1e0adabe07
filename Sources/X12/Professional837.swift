import Foundation
import RCMCore

/// The 837P professional claim transaction set (ASC X12N 005010X222A1) for one billing provider:
/// its segments between ST and SE, several claims in one set. Loops (`../shared/docs/reference/x12.md`):
/// 1000A submitter, 1000B receiver, 2000A billing provider (HL level 20) with 2010AA, then per
/// claim 2000B subscriber (HL 22) with 2010BA and 2010BB payer, 2000C patient (HL 23) when the
/// patient is not the subscriber, 2300 claim (CLM, HI) and 2400 lines (LX, SV1, DTP*472). HL
/// numbers run 1, 2, 3… through the set, each HL02 naming its parent.
public struct Professional837: Sendable {
    /// A postal address (N3/N4): in the US the state code and ZIP (5 or 9 digits); elsewhere no
    /// state, the postal code and the ISO 3166 country code (N404).
    public struct Address: Sendable, Hashable {
        public let line1: String
        public let city: String
        public let state: String
        public let postalCode: String
        /// `nil` for the US.
        public let country: String?
        public init(line1: String, city: String, state: String, postalCode: String, country: String? = nil) {
            self.line1 = line1
            self.city = city
            self.state = state
            self.postalCode = postalCode
            self.country = country
        }
    }

    /// A person: NM1 name, DMG birth date and gender (`F`, `M`, `U`), N3/N4.
    public struct Person: Sendable, Hashable {
        public let lastName: String
        public let firstName: String
        public let birthDate: ServiceDate
        public let gender: String
        public let address: Address
        public init(lastName: String, firstName: String, birthDate: ServiceDate, gender: String, address: Address) {
            self.lastName = lastName
            self.firstName = firstName
            self.birthDate = birthDate
            self.gender = gender
            self.address = address
        }
    }

    /// 1000A: the submitter (NM1*41, id `46` as the receiver assigned it) and its contact (PER*IC).
    public struct Submitter: Sendable, Hashable {
        public let name: String
        public let id: String
        public let contactName: String
        public let phone: String
        public init(name: String, id: String, contactName: String, phone: String) {
            self.name = name
            self.id = id
            self.contactName = contactName
            self.phone = phone
        }
    }

    /// 2010AA: the billing provider (NM1*85 with its NPI, N3/N4, REF*EI its employer id).
    public struct BillingProvider: Sendable, Hashable {
        public let name: String
        public let npi: String
        public let employerID: String
        public let address: Address
        public init(name: String, npi: String, employerID: String, address: Address) {
            self.name = name
            self.npi = npi
            self.employerID = employerID
            self.address = address
        }
    }

    /// A 2400 service line: SV1 with the procedure (qualifier `HC`: CPT or HCPCS; `ER`: a
    /// jurisdiction-specific code, such as a payer's or a chargemaster's own) and its modifiers, the
    /// charge, units, diagnosis pointers (1…12 into the claim's diagnoses), DTP*472 its date, and
    /// the narrative of a not-otherwise-classified code (SV101-7).
    public struct Line: Sendable, Hashable {
        /// SV101-1: `HC` (the default) or `ER`.
        public let qualifier: String
        public let code: String
        public let modifiers: [String]
        public let narrative: String?
        public let charge: Money
        public let units: Decimal
        public let diagnosisPointers: [Int]
        public let serviceDate: ServiceDate
        public init(
            qualifier: String = "HC", code: String, modifiers: [String] = [], narrative: String? = nil, charge: Money,
            units: Decimal, diagnosisPointers: [Int], serviceDate: ServiceDate
        ) {
            self.qualifier = qualifier
            self.code = code
            self.modifiers = modifiers
            self.narrative = narrative
            self.charge = charge
            self.units = units
            self.diagnosisPointers = diagnosisPointers
            self.serviceDate = serviceDate
        }
    }

    /// One claim: 2000B/2010BA the subscriber and member id, 2010BB the payer, 2000C the patient
    /// when not the subscriber (with PAT01, the individual relationship code: `01` spouse, `19`
    /// child, `G8` other), 2300 CLM (CLM01 the patient control number, RCM's claim reference, which
    /// the 835 returns in CLP01; the place of service) and HI (ICD-10-CM, no dots, at most 12: the
    /// first `ABK`, the others `ABF`), and its lines.
    public struct Claim: Sendable, Hashable {
        public let patientControlNumber: String
        public let subscriber: Person
        public let memberID: String
        public let payerName: String
        public let payerID: String
        public let patient: Person?
        public let patientRelationship: String
        public let placeOfService: String
        public let diagnoses: [String]
        public let lines: [Line]
        public init(
            patientControlNumber: String, subscriber: Person, memberID: String, payerName: String, payerID: String,
            patient: Person? = nil, patientRelationship: String = "19", placeOfService: String,
            diagnoses: [String], lines: [Line]
        ) {
            self.patientControlNumber = patientControlNumber
            self.subscriber = subscriber
            self.memberID = memberID
            self.payerName = payerName
            self.payerID = payerID
            self.patient = patient
            self.patientRelationship = patientRelationship
            self.placeOfService = placeOfService
            self.diagnoses = diagnoses
            self.lines = lines
        }

        /// CLM02: the sum of the lines' charges (SV102), exactly.
        public func total() throws -> Money {
            guard let first = lines.first else {
                throw X12Error(segment: 0, "claim \(patientControlNumber) has no lines")
            }
            return try lines.dropFirst().reduce(first.charge) { try $0.adding($1.charge) }
        }
    }

    public let submitter: Submitter
    /// 1000B: the receiver (NM1*40), e.g. the clearinghouse.
    public let receiverName: String
    public let receiverID: String
    public let billingProvider: BillingProvider
    public let claims: [Claim]

    public init(
        submitter: Submitter, receiverName: String, receiverID: String, billingProvider: BillingProvider,
        claims: [Claim]
    ) {
        self.submitter = submitter
        self.receiverName = receiverName
        self.receiverID = receiverID
        self.billingProvider = billingProvider
        self.claims = claims
    }

    /// The set's segments between ST and SE.
    /// - Parameters:
    ///   - reference: BHT03, the originator's reference for this set (RCM: the set's control number).
    ///   - created: BHT04/05, as `CCYYMMDD` and `HHMM`.
    /// - Throws: ``X12Error`` (segment 0) naming the claim: no lines, more than 12 diagnoses, a
    ///   pointer to no diagnosis, more than four modifiers, amounts of different currencies.
    public func segments(reference: String, created: (date: String, time: String)) throws -> [X12Segment] {
        var segments = [
            X12Segment("BHT", "0019", "00", reference, created.date, created.time, "CH"),
            X12Segment("NM1", "41", "2", submitter.name, "", "", "", "", "46", submitter.id),
            X12Segment("PER", "IC", submitter.contactName, "TE", submitter.phone),
            X12Segment("NM1", "40", "2", receiverName, "", "", "", "", "46", receiverID),
            X12Segment("HL", "1", "", "20", "1"),
            X12Segment("NM1", "85", "2", billingProvider.name, "", "", "", "", "XX", billingProvider.npi),
        ]
        segments += Self.address(billingProvider.address)
        segments.append(X12Segment("REF", "EI", billingProvider.employerID))
        var hl = 1
        for claim in claims {
            guard !claim.lines.isEmpty else {
                throw X12Error(segment: 0, "claim \(claim.patientControlNumber) has no lines")
            }
            guard (1...12).contains(claim.diagnoses.count) else {
                throw X12Error(
                    segment: 0,
                    "claim \(claim.patientControlNumber) has \(claim.diagnoses.count) diagnoses; an 837P carries 1 to 12"
                )
            }
            hl += 1
            let subscriberHL = hl
            let isSubscriber = claim.patient == nil
            segments.append(X12Segment("HL", String(subscriberHL), "1", "22", isSubscriber ? "0" : "1"))
            segments.append(X12Segment("SBR", "P", isSubscriber ? "18" : "", "", "", "", "", "", "", "CI"))
            segments.append(
                X12Segment(
                    "NM1", "IL", "1", claim.subscriber.lastName, claim.subscriber.firstName, "", "", "", "MI",
                    claim.memberID))
            if isSubscriber {
                segments += Self.address(claim.subscriber.address)
                segments.append(Self.demographics(claim.subscriber))
            }
            segments.append(X12Segment("NM1", "PR", "2", claim.payerName, "", "", "", "", "PI", claim.payerID))
            if let patient = claim.patient {
                hl += 1
                segments.append(X12Segment("HL", String(hl), String(subscriberHL), "23", "0"))
                segments.append(X12Segment("PAT", claim.patientRelationship))
                segments.append(X12Segment("NM1", "QC", "1", patient.lastName, patient.firstName))
                segments += Self.address(patient.address)
                segments.append(Self.demographics(patient))
            }
            segments.append(
                X12Segment(
                    "CLM",
                    elements: [
                        [claim.patientControlNumber], [try claim.total().amountText], [], [],
                        [claim.placeOfService, "B", "1"], ["Y"], ["A"], ["Y"], ["Y"],
                    ]))
            segments.append(
                X12Segment(
                    "HI",
                    elements: claim.diagnoses.enumerated().map { index, code in
                        [index == 0 ? "ABK" : "ABF", CodeSystem.normalized(code)]
                    }))
            for (index, line) in claim.lines.enumerated() {
                guard line.modifiers.count <= ServiceModifiers.maximum else {
                    throw X12Error(
                        segment: 0, "claim \(claim.patientControlNumber) line \(index + 1) has more than four modifiers"
                    )
                }
                guard !line.diagnosisPointers.isEmpty, line.diagnosisPointers.count <= 4,
                    line.diagnosisPointers.allSatisfy({ (1...claim.diagnoses.count).contains($0) })
                else {
                    throw X12Error(
                        segment: 0,
                        "claim \(claim.patientControlNumber) line \(index + 1): diagnosis pointers must be 1 to 4 "
                            + "positions among its \(claim.diagnoses.count) diagnoses")
                }
                var procedure = [line.qualifier, line.code] + line.modifiers
                if let narrative = line.narrative {
                    procedure += Array(repeating: "", count: 4 - line.modifiers.count) + [narrative]
                }
                segments.append(X12Segment("LX", String(index + 1)))
                segments.append(
                    X12Segment(
                        "SV1",
                        elements: [
                            procedure, [line.charge.amountText], ["UN"], ["\(line.units)"], [], [],
                            line.diagnosisPointers.map(String.init),
                        ]))
                segments.append(X12Segment("DTP", "472", "D8", line.serviceDate.x12Text))
            }
        }
        return segments
    }

    static func address(_ address: Address) -> [X12Segment] {
        [
            X12Segment("N3", address.line1),
            address.country.map { X12Segment("N4", address.city, "", address.postalCode, $0) }
                ?? X12Segment("N4", address.city, address.state, address.postalCode),
        ]
    }

    static func demographics(_ person: Person) -> X12Segment {
        X12Segment("DMG", "D8", person.birthDate.x12Text, person.gender)
    }

}
