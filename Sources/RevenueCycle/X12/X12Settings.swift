import Foundation
import RCMCore
import X12

/// The billing office's side of the X12 rail, read from the JSON file `RCM_X12_SETTINGS` names
/// (example: `sandbox/x12-settings.json`; docs/billing.md "X12 payers"):
///
/// ```json
/// {"sender_id": "SUNRISE01", "usage": "T", "time_zone": "America/Chicago",
///  "outbox": "x12/outbox", "inbox": "x12/inbox",
///  "submitter": {"name": "Sunrise Clinic", "id": "SUNRISE01", "contact_name": "Billing office", "phone": "3125550100"},
///  "billing_provider": {"name": "Sunrise Clinic", "npi": "1234567893", "employer_id": "361234567",
///    "address": {"line1": "100 Main St", "city": "Chicago", "state": "IL", "postal_code": "606011234"}}}
/// ```
///
/// `sender_id` is ISA06/GS02 (at most 15 characters), `usage` ISA15 (`P` production, `T` test),
/// `time_zone` the zone of the files' dates and times (IANA name; default UTC); folders relative
/// to the working directory. The NPI is checked with its Luhn check digit (CMS, "NPI Check Digit").
public struct X12Settings: Sendable, Hashable {
    public let senderID: String
    public let usage: String
    public let timeZone: TimeZone
    /// Where the 837P files go: the clearinghouse's drop folder.
    public let outbox: URL
    /// Where 999 and 835 files arrive.
    public let inbox: URL
    public let submitter: Professional837.Submitter
    public let billingProvider: Professional837.BillingProvider

    public init(
        senderID: String, usage: String = "P", timeZone: TimeZone = TimeZone(identifier: "UTC")!, outbox: URL,
        inbox: URL, submitter: Professional837.Submitter, billingProvider: Professional837.BillingProvider
    ) {
        self.senderID = senderID
        self.usage = usage
        self.timeZone = timeZone
        self.outbox = outbox
        self.inbox = inbox
        self.submitter = submitter
        self.billingProvider = billingProvider
    }

    /// Reads the settings file.
    /// - Throws: ``X12SettingsError`` naming the file and the field that is missing or wrong.
    public static func load(path: String) throws -> X12Settings {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw X12SettingsError("\(path): cannot be read (\(error.localizedDescription))")
        }
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: data) } catch let error as DecodingError {
            throw X12SettingsError("\(path): \(describe(error))")
        }
        func check(_ ok: Bool, _ message: String) throws { if !ok { throw X12SettingsError("\(path): \(message)") } }
        try check((2...15).contains(file.senderID.count), "sender_id must be 2–15 characters")
        let usage = file.usage ?? "P"
        try check(["P", "T"].contains(usage), "usage must be P (production) or T (test)")
        let zone = try file.timeZone.map { name in
            guard let zone = TimeZone(identifier: name) else {
                throw X12SettingsError("\(path): time_zone '\(name)' is not an IANA time zone")
            }
            return zone
        }
        let provider = file.billingProvider
        try check(
            isValidNPI(provider.npi),
            "billing_provider.npi '\(provider.npi)' is not a valid NPI (10 digits, check digit)")
        try check(
            provider.employerID.count == 9 && provider.employerID.allSatisfy { $0.isASCII && $0.isNumber },
            "billing_provider.employer_id must be the 9-digit EIN without the hyphen")
        let base = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        return X12Settings(
            senderID: file.senderID, usage: usage, timeZone: zone ?? TimeZone(identifier: "UTC")!,
            outbox: URL(fileURLWithPath: file.outbox, relativeTo: base).standardizedFileURL,
            inbox: URL(fileURLWithPath: file.inbox, relativeTo: base).standardizedFileURL,
            submitter: Professional837.Submitter(
                name: file.submitter.name, id: file.submitter.id, contactName: file.submitter.contactName,
                phone: file.submitter.phone),
            billingProvider: Professional837.BillingProvider(
                name: provider.name, npi: provider.npi, employerID: provider.employerID,
                address: Professional837.Address(
                    line1: provider.address.line1, city: provider.address.city, state: provider.address.state,
                    postalCode: provider.address.postalCode)))
    }

    /// Whether `npi` is ten digits whose last is the Luhn check digit over `80840` and the first
    /// nine (CMS, "Requirements for NPI check digit").
    public static func isValidNPI(_ npi: String) -> Bool {
        let digits = npi.compactMap { $0.isASCII ? $0.wholeNumberValue : nil }
        guard npi.count == 10, digits.count == 10 else { return false }
        var sum = 24  // the prefix 80840's contribution
        for (index, digit) in digits.prefix(9).reversed().enumerated() {
            let value = index % 2 == 0 ? digit * 2 : digit
            sum += value > 9 ? value - 9 : value
        }
        return (10 - sum % 10) % 10 == digits[9]
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            let path = (context.codingPath + [key]).map(\.stringValue).joined(separator: ".")
            return "\(path) is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? "not a JSON object (\(context.debugDescription))" : "\(path): wrong type"
        @unknown default: return "\(error)"
        }
    }

    /// The file's shape.
    private struct File: Decodable {
        struct Party: Decodable {
            let name, id, contactName, phone: String
            enum CodingKeys: String, CodingKey {
                case name, id, phone
                case contactName = "contact_name"
            }
        }
        struct Address: Decodable {
            let line1, city, state, postalCode: String
            enum CodingKeys: String, CodingKey {
                case line1, city, state
                case postalCode = "postal_code"
            }
        }
        struct Provider: Decodable {
            let name, npi, employerID: String
            let address: Address
            enum CodingKeys: String, CodingKey {
                case name, npi, address
                case employerID = "employer_id"
            }
        }
        let senderID: String
        let usage: String?
        let timeZone: String?
        let outbox, inbox: String
        let submitter: Party
        let billingProvider: Provider
        enum CodingKeys: String, CodingKey {
            case usage, outbox, inbox, submitter
            case senderID = "sender_id"
            case timeZone = "time_zone"
            case billingProvider = "billing_provider"
        }
    }
}

/// The X12 settings file cannot be used; the message names the file and the field.
public struct X12SettingsError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
