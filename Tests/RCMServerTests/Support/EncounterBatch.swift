import Foundation
import HCXSandbox
import RCMCore

/// A deterministic batch of encounters in RCM's input format (NDJSON) for end-to-end runs: real
/// FY2026 ICD-10-CM codes, the demo clinic's chargemaster, forty generated members with room in
/// their sum insured, and a mix that ends approved, partly approved, denied and rejected.
enum EncounterBatch {
    /// Billable ICD-10-CM codes (FY2026) with a fitting service.
    static let visits: [(diagnosis: String, service: String, price: String)] = [
        ("J02.9", "LAB-STREP-RAPID", "450.00"), ("J06.9", "OP-CONSULT-GP", "800.00"),
        ("E11.9", "LAB-HBA1C", "650.00"), ("I10", "OP-ECG", "600.00"), ("K21.9", "OP-CONSULT-GASTRO", "1200.00"),
        ("M54.50", "RAD-XRAY-LSPINE", "1100.00"), ("N39.0", "LAB-URINE-CULTURE", "700.00"),
        ("R51.9", "OP-CONSULT-NEURO", "1500.00"), ("S93.401A", "RAD-XRAY-ANKLE", "900.00"),
        ("L03.115", "PROC-IND", "2500.50"),
    ]

    static let members = (1...40).map { String(format: "GEN-MEM-%03d", $0) }

    /// The sandbox's default rules plus the generated members (every fourth with 10 % co-pay).
    static var rules: SandboxRules {
        var rules = SandboxRules.default
        for (index, member) in members.enumerated() {
            rules.members.append(
                SandboxRules.Member(
                    subscriberID: member, status: "active", coverageStart: try! ServiceDate(iso8601: "2026-01-01"),
                    sumInsured: "1000000.00", copayPercent: index % 4 == 0 ? "10" : nil))
        }
        return rules
    }

    /// `count` encounters as NDJSON. Every 10th bills only an excluded IV set (denied); every
    /// 25th is for the lapsed member (rejected: not in force); the rest are approved in full or
    /// less the co-pay.
    static func ndjson(count: Int) -> Data {
        let lines = (0..<count).map { index -> String in
            let visit = visits[index % visits.count]
            let member = index % 25 == 24 ? "MEM-LAPSED" : members[index % members.count]
            let day = 1 + index % 20
            var services: [[String: Any]] = [
                [
                    "system": "https://sunrise-clinic.rcm-demo.example/chargemaster", "code": "OP-CONSULT-GP",
                    "unit_price": "800.00",
                ],
                [
                    "system": "https://sunrise-clinic.rcm-demo.example/chargemaster", "code": visit.service,
                    "unit_price": visit.price, "units": 1 + index % 3,
                ],
            ]
            if index % 10 == 9 {
                services = [
                    [
                        "system": "https://sunrise-clinic.rcm-demo.example/chargemaster", "code": "PHARM-IV-SET",
                        "unit_price": "475.50", "units": 2,
                    ]
                ]
            }
            let encounter: [String: Any] = [
                "encounter_id": String(format: "ENC-GEN-%05d", index),
                "patient": ["id": String(format: "MRN-GEN-%05d", index), "gender": index % 2 == 0 ? "female" : "male"],
                "coverage": ["payer": "DEMO-HEALTH-INSURANCE", "member_id": member],
                "provider": ["id": "HFR-DEMO-0042", "name": "Sunrise Community Clinic (demo)"],
                "service_start": String(format: "2026-11-%02d", day),
                "diagnoses": [["code": visit.diagnosis]],
                "services": services,
            ]
            let data = try! JSONSerialization.data(withJSONObject: encounter, options: [.sortedKeys])
            return String(decoding: data, as: UTF8.self)
        }
        return Data((lines.joined(separator: "\n") + "\n").utf8)
    }
}
