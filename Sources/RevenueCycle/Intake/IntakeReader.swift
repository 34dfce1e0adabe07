import Crypto
import FHIR
import Foundation
import RCMCore

/// Reads the bytes of one input into claim submissions: one JSON value, a JSON array, or NDJSON
/// (one JSON value per line), where each value is an HCX ClaimRequestBundle (FHIR) or an
/// encounter of RCM's own format (docs/integrating.md "Encounter input format"). Encounters are built into
/// ClaimRequestBundles (``FHIR/Bundle/claimRequestBundle(for:resourceID:timestamp:)``) and
/// from there go the same way as bundles received.
public struct IntakeReader: Sendable {
    /// One value of the input and what became of it.
    public struct Entry: Sendable {
        /// Where it was in the input: `nil` for a lone value, `[i]` (0-based) in a JSON array,
        /// `:n` (1-based line) in NDJSON.
        public let position: String?
        public let result: Result<ClaimSubmission, any Error>
    }

    let now: @Sendable () -> Date
    let chargemaster: Chargemaster?

    /// - Parameter chargemaster: prices the services of FHIR clinical bundles (``ClinicalBundleReader``).
    public init(now: @escaping @Sendable () -> Date = Date.init, chargemaster: Chargemaster? = nil) {
        self.now = now
        self.chargemaster = chargemaster
    }

    /// Reads one input.
    /// - Throws: ``FHIR/FHIRError/notJSON(_:)`` when the bytes are neither JSON nor NDJSON.
    public func read(_ data: Data) throws -> [Entry] {
        let wholeError: any Error
        do {
            let json = try JSONValue(parsing: data)
            if case .array(let elements) = json {
                return elements.enumerated().flatMap { self.entries(of: $1, at: "[\($0)]") }
            }
            return self.entries(of: json, at: nil)
        } catch {
            wholeError = error
        }
        // NDJSON: one value per line; a line that is not JSON is reported at its line.
        var entries: [Entry] = []
        var anyLineIsJSON = false
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            let position = ":\(index + 1)"
            do {
                let json = try JSONValue(parsing: Data(line.utf8))
                anyLineIsJSON = true
                entries += self.entries(of: json, at: position)
            } catch {
                entries.append(
                    Entry(position: position, result: .failure(FHIRError.notJSON(FHIRError.describe(error)))))
            }
        }
        guard anyLineIsJSON, entries.count > 1 else { throw FHIRError.notJSON(FHIRError.describe(wholeError)) }
        return entries
    }

    /// The entries of one JSON value: one per Encounter of a clinical bundle (`<position>#Encounter/<id>`), else one.
    public func entries(of json: JSONValue, at position: String? = nil) -> [Entry] {
        // InputText's one rule, before anything of the value is read or logged.
        let problems = json.inputTextProblems()
        guard problems.isEmpty else {
            return [
                Entry(
                    position: position,
                    result: .failure(
                        ClaimIntakeError(findings: problems.map { ClaimFinding(.error, field: $0.field, $0.message) })))
            ]
        }
        guard ClinicalBundleReader.isClinicalBundle(json) else {
            return [Entry(position: position, result: submission(json))]
        }
        return ClinicalBundleReader(chargemaster: chargemaster).read(json).map { source, result in
            Entry(
                position: (position ?? "") + "#" + source,
                result: Result {
                    let (encounter, warnings) = try result.get()
                    return warnings.reduce(try ClaimSubmission(encounter: encounter, now: now())) { $0.adding($1) }
                })
        }
    }

    /// The submission for one JSON value: an encounter of our format, or an HCX claim bundle.
    public func submission(_ json: JSONValue) -> Result<ClaimSubmission, any Error> {
        Result {
            if EncounterReader.isEncounter(json) {
                return try ClaimSubmission(encounter: try EncounterReader().read(json), now: now())
            }
            return try ClaimSubmission(try ClaimBundle(json: json))
        }
    }
}

extension ClaimSubmission {
    /// The submission for an encounter of RCM's input format: its ClaimRequestBundle, read back
    /// like any received bundle. Resource ids are UUIDv5 (RFC 9562 §5.5) of the provider, the
    /// encounter id and the resource name, so rebuilding the same encounter gives the same Claim
    /// and the same intake key.
    /// - Parameter now: when the bundle is built (its `timestamp`, in the facility's time zone).
    /// - Throws: ``RCMCore/ClaimIntakeError`` when the built claim fails intake's checks, or the
    ///   patient's birth date is not plausible (``RCMCore/PlausibleDates``).
    public init(encounter: RCMCore.Encounter, now: Date) throws {
        if let birthDate = encounter.patient.birthDate,
            let problem = PlausibleDates.birthDateProblem(
                birthDate, serviceDate: encounter.serviceStart, today: ServiceDate(now, in: encounter.facilityTimeZone))
        {
            throw ClaimIntakeError(findings: [ClaimFinding(.error, field: "patient.birth_date", problem)])
        }
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = encounter.facilityTimeZone
        let bundle = try Bundle.claimRequestBundle(
            for: encounter,
            resourceID: { name in
                EncounterResourceID.uuid(name: "\(encounter.provider.id)|\(encounter.id)|\(name)")
            }, timestamp: formatter.string(from: now))
        try self.init(try ClaimBundle(json: bundle))
    }
}

/// Name-based UUIDs (version 5, SHA-1; RFC 9562 §5.5) in RCM's encounter namespace.
enum EncounterResourceID {
    /// The namespace UUID of resources built from RCM encounters (a fixed random UUID).
    static let namespace: [UInt8] = [
        0x6c, 0x1f, 0x0b, 0x54, 0x9a, 0x2e, 0x4d, 0x1b, 0x8f, 0x43, 0x27, 0xd5, 0x0e, 0x61, 0xa9, 0x3c,
    ]

    /// The UUIDv5 of `name`, lower-case text.
    static func uuid(name: String) -> String {
        var bytes = Array(Insecure.SHA1.hash(data: namespace + Array(name.utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
                bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            )
        ).uuidString.lowercased()
    }
}
