import Foundation
import RCMCore
import Testing
import Vapor
import VaporTesting

@testable import RCMServer

/// The shipped code sets (data/code-sets), their lookups and the coding agent's findings, on real
/// codes.
@Suite struct CodeSetTests {
    static let catalog: CodeSetCatalog = {
        // Loaded once for the suite (about a second).
        try! CodeSetFiles.load(from: Samples.repositoryRoot.appendingPathComponent("data"))
    }()

    static func date(_ text: String) -> ServiceDate { try! ServiceDate(iso8601: text) }

    @Test func releasesHaveTheirOfficialCounts() throws {
        let fy2026 = try #require(Self.catalog.release(.icd10cm, on: Self.date("2026-06-01")))
        #expect(fy2026.name == "FY2026")
        #expect(fy2026.codes.count == 98_186)
        #expect(fy2026.codes.filter { fy2026.entry($0)?.billable == true }.count == 74_719)
        let fy2025 = try #require(Self.catalog.release(.icd10cm, on: Self.date("2025-06-01")))
        #expect(fy2025.name == "FY2025")
        #expect(fy2025.codes.count == 74_260)
        #expect(Self.catalog.release(.icd10pcs, on: nil)?.codes.count == 78_603)
    }

    /// HCPCS Level II 2025 as exported by scripts/export-code-sets.py from CMS's October file
    /// (../shared/data/hcpcs/SOURCES.md): its counts and the rows the source's notes name.
    @Test func hcpcsHasCMSsCodesAndModifiers() throws {
        let procedures = try #require(Self.catalog.release(.hcpcs, on: Self.date("2026-03-01")))
        #expect(procedures.name == "2025")
        #expect(procedures.codes.count == 8_463)
        #expect(procedures.codes.first == "A0021" && procedures.codes.last == "V5364")
        #expect(procedures.entry("J3490")?.description == "Unclassified drugs")
        #expect(
            procedures.entry("J3301")?.description
                == "Injection, triamcinolone acetonide, not otherwise specified, 10 mg")
        let modifiers = try #require(Self.catalog.release(.hcpcsModifier, on: nil))
        #expect(modifiers.codes.count == 383)
        for code in ["GA", "GT", "KX", "RT", "LT"] { #expect(modifiers.entry(code) != nil, "\(code)") }
        #expect(
            modifiers.entry("RT")?.description
                == "Right side (used to identify procedures performed on the right side of the body)")
        // CPT's modifier 25 is AMA's, not in CMS's file; a modifier is no procedure code.
        #expect(Self.catalog.lookup(.hcpcsModifier, "25").status == .unknown)
        #expect(Self.catalog.lookup(.hcpcs, "GT").status == .unknown)
        #expect(Self.catalog.search(.hcpcs, "unclassified drugs").contains { $0.code == "J3490" })
        #expect(CodingReview.notOtherwiseClassified("Unclassified drugs"))
        #expect(CodingReview.notOtherwiseClassified("Wheelchair component or accessory, not otherwise specified"))
        #expect(!CodingReview.notOtherwiseClassified("Injection, dexamethasone sodium phosphate, 1 mg"))
    }

    /// The coding review of billed lines: HCPCS codes and modifiers against CMS's file, CPT by
    /// form, a narrative for a not-otherwise-classified code.
    @Test func billedLinesAreCheckedAgainstHCPCS() {
        let review = CodingReview(catalog: Self.catalog)
        func findings(_ code: String, system: String? = nil, modifiers: [String] = [], narrative: String? = nil)
            -> [String]
        {
            review.serviceFindings(
                .init(
                    sequence: 2, code: BillingCode(system: system, code: code, display: nil), modifiers: modifiers,
                    narrative: narrative)
            ).map { "\($0.severity.rawValue) \($0.field): \($0.message)" }
        }
        #expect(findings("J1100", modifiers: ["GT", "25", "RT"]).isEmpty)
        #expect(findings("99213", system: CodeSystem.cpt.uri, modifiers: ["25"]).isEmpty)
        #expect(findings("PHARM-IV-SET", system: "https://clinic.example/chargemaster").isEmpty)
        #expect(
            findings("J3490")
                == [
                    "error Claim.item[1].productOrService.text: J3490 (Unclassified drugs) is a not-otherwise-classified "
                        + "code: describe what was given on the line (the narrative: e.g. drug name, dose and route), "
                        + "or the payer cannot price it"
                ])
        #expect(findings("J3490", narrative: "Ceftriaxone 1 g IV").isEmpty)
        #expect(
            findings("J9998", system: CodeSystem.hcpcs.uri).first?.hasPrefix(
                "error Claim.item[1].productOrService: J9998 is not a HCPCS Level II code (2025)") == true)
        #expect(
            findings("9921", system: CodeSystem.cpt.uri)
                == [
                    "error Claim.item[1].productOrService: 9921 is not of CPT's form (four digits, then a digit or F, T or U, e.g. 99213)"
                ])
        #expect(
            findings("J1100", modifiers: ["ZZ", "G", "25", "59", "RT"])
                == [
                    "error Claim.item[1].modifier: at most 4 modifiers per line (X12 837P SV101-3…6); got 5",
                    "error Claim.item[1].modifier[0]: ZZ is not a HCPCS Level II modifier (2025)",
                    "error Claim.item[1].modifier[1]: 'G' is not a modifier: two letters or digits, such as 25, LT or GT",
                ])
        // Lower-case modifiers from a FHIR bundle are checked as their upper-case form.
        #expect(findings("J1100", modifiers: ["gt"]).isEmpty)
    }

    @Test func lookupsNormaliseAndFollowTheDateOfService() {
        let catalog = Self.catalog
        for text in ["E11.9", "e119", " E11.9 "] {
            let found = catalog.lookup(.icd10cm, text, on: Self.date("2026-01-15"))
            #expect(found.status == .billable)
            #expect(found.code == "E119")
            #expect(found.description == "Type 2 diabetes mellitus without complications")
        }
        let header = catalog.lookup(.icd10cm, "E11.6", on: Self.date("2026-01-15"))
        #expect(header.status == .header)
        #expect(header.suggestions.contains("E11610"))
        // E11.A (in remission) is new in FY2026: not valid for a 2025 date of service.
        #expect(catalog.lookup(.icd10cm, "E11.A", on: Self.date("2026-01-15")).status == .billable)
        #expect(catalog.lookup(.icd10cm, "E11.A", on: Self.date("2025-06-01")).status == .unknown)
        #expect(catalog.lookup(.icd10cm, "Z99.99", on: nil).status == .unknown)
        // Before the oldest release shipped: checked against it, and said so.
        #expect(
            catalog.lookup(.icd10cm, "E11.9", on: Self.date("2023-02-20")).release
                == "FY2025, the oldest shipped: 2023-02-20 is earlier")
        #expect(CodeSystem.icd10cm.display("NOTACODE") == "NOTACODE")
        #expect(CodeSystem.icd10cm.display("") == "(empty)")
        #expect(
            catalog.lookup(.icd10pcs, "0dtj4zz").description
                == "Resection of Appendix, Percutaneous Endoscopic Approach")
        #expect(catalog.lookup(.cpt, "99213").status == .billable)
        #expect(catalog.lookup(.cpt, "9921").status == .unknown)
        #expect(catalog.lookup(.hcpcs, "J1100").status == .billable)
        #expect(catalog.lookup(.placeOfService, "11").description == "Office")
    }

    @Test func searchByPrefixAndByWords() {
        #expect(Self.catalog.search(.icd10cm, "E11.6").first?.code == "E116")
        #expect(Self.catalog.search(.icd10cm, "E11.6").contains { $0.code == "E11649" })
        let words = Self.catalog.search(.icd10cm, "type 2 diabetes without complications")
        #expect(words.first?.code == "E119")
        #expect(
            Self.catalog.search(.icd10pcs, "resection appendix percutaneous endoscopic").map(\.code).contains("0DTJ4ZZ")
        )
    }

    /// The word index gives what scanning every code gave: the same codes in the same order
    /// (billable first, shortest description, code), for common words (read in rank order until
    /// the page is full), rare ones (ranked candidates) and none.
    @Test func wordSearchMatchesAScanOfEveryCode() throws {
        let release = try #require(Self.catalog.release(.icd10cm, on: nil))
        let all = release.codes.compactMap { release.entry($0) }
        func scanned(_ text: String, limit: Int) -> [String] {
            let words = text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { " " + $0 }
            return all.filter { entry in
                let line =
                    " "
                    + String(
                        "\(entry.code) \(entry.description)".lowercased().unicodeScalars.map {
                            CharacterSet.alphanumerics.contains($0) ? Character($0) : " "
                        })
                return words.allSatisfy { line.contains($0) }
            }.sorted {
                ($0.billable ? 0 : 1, $0.description.count, $0.code) < (
                    $1.billable ? 0 : 1, $1.description.count, $1.code
                )
            }.prefix(limit).map(\.code)
        }
        for (text, limit) in [
            ("E", 50), ("e", 500), ("diabetes", 50), ("type 2 diab", 20), ("fracture femur", 50), ("a", 50),
            ("zzzz", 50), ("malignant neoplasm", 1_000), ("acute pharyngitis", 10),
        ] {
            #expect(release.search(text, limit: limit).map(\.code) == scanned(text, limit: limit), "\(text)")
        }
    }

    private func findings(_ diagnoses: [(String?, String)], on date: String = "2026-03-01") -> [ClaimFinding] {
        CodingReview(catalog: Self.catalog).review(
            diagnoses: diagnoses.map { BillingCode(system: $0.0, code: $0.1) }, procedures: [],
            dateOfService: Self.date(date))
    }

    static let cm = CodeSystem.icd10cm.uri

    @Test func eachCodingFindingOnARealCode() {
        #expect(findings([(Self.cm, "E11.9"), (Self.cm, "I10")]).isEmpty)
        // Unknown code.
        let unknown = findings([(Self.cm, "E11.99")])
        #expect(unknown.map(\.field) == ["Claim.diagnosis[0].diagnosisCodeableConcept"])
        #expect(
            unknown.first?.message.hasPrefix("E11.99 is not an ICD-10-CM code valid on 2026-03-01 (FY2026)") == true)
        // Header code, with its billable children.
        #expect(
            findings([(Self.cm, "E11.6")]).first?.message.hasPrefix(
                "E11.6 is a header code, not billable: use a more specific code (E11.610, E11.618,") == true)
        // Missing 7th character.
        #expect(
            findings([(Self.cm, "S52.521")]).first?.message.hasPrefix(
                "S52.521 needs a 7th character (A initial encounter for closed fracture;") == true)
        // Excludes1: type 1 and type 2 diabetes on one claim (E11's Excludes1 names E10.-).
        let excludes = findings([(Self.cm, "E10.9"), (Self.cm, "E11.9")])
        #expect(excludes.count == 1)
        #expect(
            excludes.first?.message
                == "E10.9 and E11.9 may not be reported together (Excludes1 note of E10); keep the one the record supports"
        )
        // A subcategory range: E11.A (in remission) excludes E11.0–E11.8 and E11.9.
        #expect(findings([(Self.cm, "E11.A"), (Self.cm, "E11.65")]).count == 1)
        // Manifestation first: polyneuropathy in diseases classified elsewhere before its cause.
        let manifestation = findings([(Self.cm, "G63"), (Self.cm, "E11.42")])
        #expect(manifestation.map(\.field) == ["Claim.diagnosis[0]"])
        #expect(findings([(Self.cm, "E11.42"), (Self.cm, "G63")]).isEmpty)
        // WHO ICD-10's URI on an ICD-10-CM code.
        let uri = findings([("http://hl7.org/fhir/sid/icd-10", "E11.9")])
        #expect(uri.map(\.severity) == [.warning])
        #expect(uri.first?.field == "Claim.diagnosis[0].diagnosisCodeableConcept.coding.system")
        // Payer package codes are opaque here.
        #expect(findings([("https://irdai.gov.in/package-code", "E101021")]).isEmpty)
        // No system: read as ICD-10-CM.
        #expect(findings([(nil, "E11.6")]).count == 1)
    }

    @Test func theCodesAPISearchesAndLooksUp() async throws {
        let app = try await Application.make(.testing)
        do {
            try configureCodeRoutes(app, catalog: Self.catalog)
            try await app.testing().test(.GET, "api/v1/codes/icd-10-cm?q=E11.6&limit=3") { response async throws in
                #expect(response.status == .ok)
                let codes = try response.content.decode([CodeDTO].self)
                #expect(codes.map(\.code) == ["E11.6", "E11.61", "E11.610"])
            }
            try await app.testing().test(.GET, "api/v1/codes/icd-10-cm/e11a?date=2025-06-01") { response async throws in
                let code = try response.content.decode(CodeDTO.self)
                #expect(code.status == "unknown")
                #expect(code.release == "FY2025")
            }
            try await app.testing().test(.GET, "api/v1/codes/icd-10-pcs/0DTJ4ZZ") { response async throws in
                #expect(try response.content.decode(CodeDTO.self).billable)
            }
            try await app.testing().test(.GET, "api/v1/codes/icd-9?q=250") { response async throws in
                #expect(response.status == .notFound)
            }
            try await app.testing().test(.GET, "api/v1/codes/icd-10-cm") { response async throws in
                #expect(response.status == .badRequest)
            }
            try await app.testing().test(.GET, "api/v1/codes/icd-10-cm?q=E11&limit=abc") { response async throws in
                #expect(response.status == .badRequest)
            }
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    @Test func theCodesCommandLooksUpSearchesAndImportsCPT() async throws {
        let data = Samples.repositoryRoot.appendingPathComponent("data").path
        let lookup = try await CommandLineTests.run(["codes", "lookup", "e11.9"], environment: ["RCM_DATA_DIR": data])
        #expect(lookup.stdout == "E11.9  billable  Type 2 diabetes mellitus without complications  [FY2026]\n")
        let header = try await CommandLineTests.run(
            ["codes", "lookup", "S52.521"], environment: ["RCM_DATA_DIR": data])
        #expect(header.status == 0)
        #expect(header.stdout.contains("bill one of: S52.521A, S52.521D"))
        let unknown = try await CommandLineTests.run(
            ["codes", "lookup", "Z99.99"], environment: ["RCM_DATA_DIR": data])
        #expect(unknown.status == 1)
        let search = try await CommandLineTests.run(
            ["codes", "search", "type", "2", "diabetes", "without", "complications", "--limit", "2"],
            environment: ["RCM_DATA_DIR": data])
        #expect(search.stdout.hasPrefix("E11.9\tbillable\tType 2 diabetes mellitus without complications\n"))

        // CPT: a customer's licensed descriptions, into a copy of the data folder.
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("rcm-data-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: copy) }
        try FileManager.default.copyItem(atPath: data, toPath: copy.path)
        let csv = copy.appendingPathComponent("cpt.csv")
        try Data("code,description\n99213,\"Office visit, established patient (customer's text)\"\n".utf8).write(
            to: csv)
        let imported = try await CommandLineTests.run(
            ["codes", "import", "--system", "cpt", csv.path], environment: ["RCM_DATA_DIR": copy.path])
        #expect(imported.status == 0, "\(imported.stderr)")
        let cpt = try await CommandLineTests.run(
            ["codes", "lookup", "99213", "--system", "cpt"], environment: ["RCM_DATA_DIR": copy.path])
        #expect(cpt.stdout.contains("Office visit, established patient (customer's text)"))
        try Data("99213,no header\n".utf8).write(to: csv)
        let headerless = try await CommandLineTests.run(
            ["codes", "import", "--system", "cpt", csv.path], environment: ["RCM_DATA_DIR": copy.path])
        #expect(headerless.stderr == "Error: \(csv.path): the first line must be the header code,description\n")
        try Data("code,description\n99213,a\n99213,b\n".utf8).write(to: csv)
        let twice = try await CommandLineTests.run(
            ["codes", "import", "--system", "cpt", csv.path], environment: ["RCM_DATA_DIR": copy.path])
        #expect(twice.stderr == "Error: \(csv.path): line 3: 99213 appears twice\n")
        try Data("code,description\n9921,short\n".utf8).write(to: csv)
        let bad = try await CommandLineTests.run(
            ["codes", "import", "--system", "cpt", csv.path], environment: ["RCM_DATA_DIR": copy.path])
        #expect(
            bad.stderr == "Error: \(csv.path): line 2: '9921' is not a CPT code (4 digits and a digit, F, T or U)\n")
    }
}
