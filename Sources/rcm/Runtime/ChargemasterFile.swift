import Foundation
import RCMCore

/// The chargemaster an operator names (CSV `system,code,description,unit_price,currency`,
/// docs/billing.md "The claim cycle in detail"), for the commands that price FHIR clinical bundles.
enum ChargemasterFile {
    /// The chargemaster at `path`; without a path, the one at `fallback` when that file exists; else `nil`.
    /// - Throws: ``OperatorError`` naming the file and the line at fault.
    static func load(_ path: String?, fallback: String? = nil) throws -> Chargemaster? {
        guard let file = path ?? fallback.flatMap({ FileManager.default.fileExists(atPath: $0) ? $0 : nil }) else {
            return nil
        }
        let text = String(decoding: try OperatorFiles.data(file), as: UTF8.self)
        do { return try Chargemaster(csv: text) } catch { throw OperatorError("\(file): \(error)") }
    }
}
