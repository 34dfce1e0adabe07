import Foundation

/// The code systems RCM knows, with their FHIR system URIs (HL7 terminology: `http://hl7.org/fhir/sid/icd-10-cm`, …).
public enum CodeSystem: String, Sendable, Hashable, Codable, CaseIterable {
    /// ICD-10-CM diagnoses (CDC/NCHS).
    case icd10cm = "icd-10-cm"
    /// ICD-10-PCS inpatient procedures (CMS).
    case icd10pcs = "icd-10-pcs"
    /// HCPCS Level II procedure, supply and drug codes (CMS), e.g. `J3490`.
    case hcpcs
    /// HCPCS Level II modifiers (CMS), e.g. `GT`, `RT` (two characters; CPT's own modifiers, such
    /// as `25`, are AMA's and not in CMS's file).
    case hcpcsModifier = "hcpcs-modifier"
    /// CPT (AMA-licensed): format check only, unless a licensed file was imported.
    case cpt
    /// CMS place-of-service codes.
    case placeOfService = "pos"

    /// The canonical FHIR `Coding.system` URI.
    public var uri: String {
        switch self {
        case .icd10cm: "http://hl7.org/fhir/sid/icd-10-cm"
        case .icd10pcs: "http://www.cms.gov/Medicare/Coding/ICD10"
        case .hcpcs, .hcpcsModifier: "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
        case .cpt: "http://www.ama-assn.org/go/cpt"
        case .placeOfService: "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set"
        }
    }

    /// The system a `Coding.system` URI names (a few common variants accepted), or `nil`.
    public init?(uri: String) {
        let lowered = uri.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        switch lowered {
        case "http://hl7.org/fhir/sid/icd-10-cm", "https://hl7.org/fhir/sid/icd-10-cm",
            "urn:oid:2.16.840.1.113883.6.90":
            self = .icd10cm
        case "http://www.cms.gov/medicare/coding/icd10", "urn:oid:2.16.840.1.113883.6.4": self = .icd10pcs
        case "http://www.cms.gov/medicare/coding/hcpcsreleasecodesets", "urn:oid:2.16.840.1.113883.6.285":
            self = .hcpcs
        case "http://www.ama-assn.org/go/cpt", "urn:oid:2.16.840.1.113883.6.12": self = .cpt
        default:
            guard let system = CodeSystem.allCases.first(where: { $0.uri.lowercased() == lowered }) else { return nil }
            self = system
        }
    }

    /// Code text as stored: upper case, no dot, no spaces (`e11.9` → `E119`).
    public static func normalized(_ code: String) -> String {
        code.uppercased().filter { !$0.isWhitespace && $0 != "." }
    }

    /// The conventional display form: ICD-10-CM with a dot after the category (`E119` → `E11.9`),
    /// for text shaped like an ICD-10-CM code; anything else as given, at most 20 characters, and
    /// `(empty)` for nothing.
    public func display(_ code: String) -> String {
        guard !code.isEmpty else { return "(empty)" }
        guard code.count <= 20 else { return String(code.prefix(20)) + "…" }
        guard self == .icd10cm,
            code.range(of: #"^[A-Z][0-9][0-9A-Z][0-9A-Z]{1,4}$"#, options: .regularExpression) != nil
        else { return code }
        return "\(code.prefix(3)).\(code.dropFirst(3))"
    }
}
