import Foundation
import RCMCore

/// The code-set data shipped under `data/code-sets/` (see its SOURCES.md), loaded into a
/// ``RCMCore/CodeSetCatalog``: ICD-10-CM FY2026 (dates of service from 2025-10-01) and FY2025
/// (2024-10-01 to 2025-09-30), ICD-10-PCS FY2024, HCPCS Level II 2025 (October: procedure codes and
/// modifiers, for every date of service), place-of-service codes, and CPT descriptions a customer
/// imported.
public enum CodeSetFiles {
    /// The data folder: `RCM_DATA_DIR`, else `./data`, else `data/` beside the executable's folder
    /// (`/app/data` for `/app/bin/rcm` in the container image).
    public static func dataDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let configured = environment["RCM_DATA_DIR"], !configured.isEmpty {
            return URL(fileURLWithPath: configured, isDirectory: true)
        }
        let local = URL(fileURLWithPath: "data", isDirectory: true)
        if FileManager.default.fileExists(atPath: local.appendingPathComponent("code-sets").path) { return local }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        return executable.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("data")
    }

    /// Loads every code set from `directory` (its `code-sets/` folder).
    /// - Throws: ``RCMCore/CodeSetError`` naming the missing or malformed file.
    public static func load(from directory: URL) throws -> CodeSetCatalog {
        let folder = directory.appendingPathComponent("code-sets")
        func text(_ name: String) throws -> String {
            let url = folder.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw CodeSetError.missing(
                    "\(url.path) cannot be read (set RCM_DATA_DIR to the folder holding code-sets/)")
            }
            let plain = name.hasSuffix(".gz") ? try Gzip.decompress(data, name: url.path) : data
            return String(decoding: plain, as: UTF8.self)
        }
        func date(_ text: String) -> ServiceDate? { try? ServiceDate(iso8601: text) }
        // CMS's October 2025 file, for every date of service (the only HCPCS release shipped).
        let hcpcs = try text("hcpcs-2025.tsv.gz")
        var releases = [
            try CodeSetRelease(
                system: .icd10cm, name: "FY2026", validFrom: date("2025-10-01"), validThrough: date("2026-09-30"),
                tsv: try text("icd10cm-2026.tsv.gz")),
            try CodeSetRelease(
                system: .icd10cm, name: "FY2025", validFrom: date("2024-10-01"), validThrough: date("2025-09-30"),
                tsv: try text("icd10cm-2025-billable.tsv.gz")),
            try CodeSetRelease(
                system: .icd10pcs, name: "FY2024", validFrom: nil, validThrough: nil,
                tsv: try text("icd10pcs-2024.tsv.gz")),
            try CodeSetRelease(
                system: .hcpcs, name: "2025", validFrom: nil, validThrough: nil, tsv: hcpcs, kinds: ["P"]),
            try CodeSetRelease(
                system: .hcpcsModifier, name: "2025", validFrom: nil, validThrough: nil, tsv: hcpcs, kinds: ["M"]),
            try CodeSetRelease(
                system: .placeOfService, name: "CMS POS (subset)", validFrom: nil, validThrough: nil,
                tsv: try text("place-of-service.tsv")),
        ]
        let imported = folder.appendingPathComponent("cpt-imported.tsv")
        if FileManager.default.fileExists(atPath: imported.path) {
            releases.append(
                try CodeSetRelease(
                    system: .cpt, name: "imported", validFrom: nil, validThrough: nil, tsv: try text("cpt-imported.tsv")
                ))
        }
        return CodeSetCatalog(releases: releases)
    }
}
