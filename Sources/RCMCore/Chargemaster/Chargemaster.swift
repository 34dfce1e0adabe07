import Foundation

/// A provider's chargemaster: the price of each billable service code (the standard term for a
/// hospital's or clinic's list of charges). Clinical records (FHIR Encounter types, Procedures)
/// say what was done; the chargemaster says what to bill for it.
///
/// File format: RFC 4180 CSV with the header `system,code,description,unit_price,currency`;
/// `system` is a code system URI or short name (`cpt`, `hcpcs`, `icd-10-pcs`, …) or empty for a
/// code of any system; `unit_price` a plain decimal no finer than the currency's minor unit.
public struct Chargemaster: Sendable, Hashable {
    /// One priced service.
    public struct Entry: Sendable, Hashable {
        public let code: BillingCode
        public let unitPrice: Money
    }

    /// Entries by `system|code` (system URI lower-cased; empty for any system).
    let entries: [String: Entry]

    /// Reads a chargemaster file.
    /// - Throws: ``ChargemasterError`` naming the line and the field at fault.
    public init(csv text: String) throws {
        let rows: [[String]]
        do { rows = try CSVTable.rows(text) } catch { throw ChargemasterError(line: 0, "\(error)") }
        guard let header = rows.first, header.map({ $0.lowercased() }) == Self.header else {
            throw ChargemasterError(line: 1, "the header must be \(Self.header.joined(separator: ","))")
        }
        var entries: [String: Entry] = [:]
        for (index, row) in rows.dropFirst().enumerated() {
            let line = index + 2
            guard row.count == Self.header.count else {
                throw ChargemasterError(line: line, "\(row.count) fields; expected \(Self.header.count)")
            }
            let (systemText, code, description, priceText, currencyText) = (row[0], row[1], row[2], row[3], row[4])
            guard !code.isEmpty else { throw ChargemasterError(line: line, "code is empty") }
            let system = systemText.isEmpty ? nil : (CodeSystem(rawValue: systemText.lowercased())?.uri ?? systemText)
            guard let amount = DecimalText.parse(priceText), amount >= 0 else {
                throw ChargemasterError(line: line, "unit_price '\(priceText)' is not a non-negative decimal")
            }
            let price: Money
            do { price = try Money(amount, try CurrencyCode(currencyText)) } catch {
                throw ChargemasterError(line: line, "\(error)")
            }
            let key = Self.key(system, code)
            guard entries[key] == nil else { throw ChargemasterError(line: line, "\(code) is listed twice") }
            entries[key] = Entry(
                code: BillingCode(system: system, code: code, display: description.isEmpty ? nil : description),
                unitPrice: price)
        }
        self.entries = entries
    }

    static let header = ["system", "code", "description", "unit_price", "currency"]

    static func key(_ system: String?, _ code: String) -> String { "\(system?.lowercased() ?? "")|\(code)" }

    /// The entry for a code: by its system and code, else by code alone (an entry without system).
    public func entry(system: String?, code: String) -> Entry? {
        entries[Self.key(system, code)] ?? entries[Self.key(nil, code)]
    }

    /// How many services are priced.
    public var count: Int { entries.count }
}

/// A chargemaster file that cannot be used: which line and why.
public struct ChargemasterError: Error, Equatable, Sendable, CustomStringConvertible {
    public let line: Int
    public let reason: String

    public init(line: Int, _ reason: String) {
        self.line = line
        self.reason = reason
    }

    public var description: String { "chargemaster line \(line): \(reason)" }
}
