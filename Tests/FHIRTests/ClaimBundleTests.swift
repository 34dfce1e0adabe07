import Foundation
import RCMCore
import TestSupport
import Testing

@testable import FHIR

@Suite struct ClaimBundleTests {
    @Test func sdkSampleReadsWithItsRealContent() throws {
        let bundles = try ClaimBundle.read(try SharedSamples.data("claim_request_bundle_v0.7.1_sdk.json"))
        #expect(bundles.count == 1)
        let claimBundle = try bundles[0].get()
        let claim = try claimBundle.claim.toDomain()
        #expect(claim.identifier == ClaimIdentifier(system: "http://identifiersystem.com", value: "IdentifierValue"))
        #expect(claim.resourceID == "bb1eea08-8739-4f14-b541-04622f18450c")
        #expect(claim.use == .claim)
        #expect(claim.patientReference == "Patient/RVH1003")
        #expect(claim.payer == "Organization/GICOFINDIA")
        #expect(claim.provider == "Organization/WeMeanWell01")
        #expect(claim.lines.count == 13)
        #expect(claim.lines.map(\.sequence) == Array(1...13))
        #expect(claim.lines.allSatisfy { $0.submittedSequence == 1 })
        #expect(claim.lines[0].service.code == "E101021")
        #expect(claim.lines[0].service.system == "https://irdai.gov.in/package-code")
        #expect(claim.lines[0].net.description == "INR 100000.00")
        #expect(claim.billedTotal.description == "INR 146000.00")
        #expect(claim.diagnoses.map(\.code) == ["E906184"])
        // No billablePeriod: Claim.created is the date of service, with a warning saying so.
        #expect(claim.dateOfService.description == "2023-02-20")
        #expect(claim.findings.map(\.field) == ["Claim.billablePeriod", "Claim.item.sequence"])
        #expect(claim.findings.allSatisfy { $0.severity == .warning })
    }

    @Test func anArrayFileYieldsEachBundle() throws {
        let bundles = try ClaimBundle.read(try SharedSamples.data("claim_request_bundles_v0.7.1.json")).map {
            try $0.get()
        }
        #expect(bundles.count == 2)
        #expect(bundles[0].claimResource == bundles[1].claimResource)
        #expect(bundles[0].bundle["id"] != bundles[1].bundle["id"])
        #expect(try bundles[0].claim.toDomain().billedTotal.description == "INR 146000.00")
    }

    @Test func olderDocumentBundlesAreReadAndTheirGapsNamedByField() throws {
        let bundle = try ClaimBundle.read(try SharedSamples.data("claim_request_bundle_v0.7_document.json"))[0].get()
        #expect(bundle.bundle["type"] == .string("document"))
        #expect(bundle.claim.id == "1532676")
        do {
            _ = try bundle.claim.toDomain()
            Issue.record("the sample lacks an insurer and a price on its first line")
        } catch let error as ClaimIntakeError {
            let errors = error.findings.filter { $0.severity == .error }.map(\.field)
            #expect(errors == ["Claim.insurer", "Claim.item[0].unitPrice"])
            #expect(error.findings.contains { $0.severity == .warning && $0.field == "Claim.identifier" })
        }
    }

    @Test func notJSONAndNotABundleAreNamed() throws {
        #expect(throws: FHIRError.self) { try ClaimBundle.read(Data("{nope".utf8)) }
        let results = try ClaimBundle.read(Data(#"[{"resourceType":"Patient"}, 42]"#.utf8))
        #expect(throws: FHIRError.unexpectedResourceType(expected: "Bundle", found: "resourceType 'Patient'")) {
            try results[0].get()
        }
        #expect(
            throws: FHIRError.unexpectedResourceType(expected: "Bundle", found: "a JSON value that is not an object")
        ) {
            try results[1].get()
        }
    }

    @Test func renumberingTouchesOnlyTheItemSequences() throws {
        let bundle = try ClaimBundle.read(try SharedSamples.data("claim_request_bundle_v0.7.1_sdk.json"))[0].get()
        let renumbered = try ClaimBundle(json: bundle.normalizingClaimItems())
        #expect(renumbered.claim.item?.map(\.sequence) == Array(1...13))
        var restored = renumbered.claim
        for index in restored.item!.indices { restored.item![index].sequence = 1 }
        #expect(restored == bundle.claim)
        #expect(
            renumbered.bundle["entry"].map { entries in
                if case .array(let list) = entries { return list.count } else { return 0 }
            } == 5)
    }

    /// Modifiers sent in lower case are kept upper case (`gt` → `GT`, X12 SV101-3…6 and CMS's file
    /// spell them so); what is no modifier stays as sent, for the coding review to report.
    @Test func modifiersAreKeptInUpperCase() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("samples/claim-approved-outpatient-visit.json")
        guard case .object(var root) = try JSONValue(parsing: try Data(contentsOf: url)),
            case .array(var entries)? = root["entry"], case .object(var entry) = entries[0],
            case .object(var claim)? = entry["resource"], case .array(var items)? = claim["item"],
            case .object(var item) = items[0]
        else { throw FHIRError.invalidElement(path: "sample", reason: "not the sample's shape") }
        item["modifier"] = .array(
            ["gt", " 25", "not-a-modifier"].map { .object(["coding": .array([.object(["code": .string($0)])])]) })
        items[0] = .object(item)
        claim["item"] = .array(items)
        entry["resource"] = .object(claim)
        entries[0] = .object(entry)
        root["entry"] = .array(entries)
        let bundle = try ClaimBundle(json: .object(root))
        let normalized = try ClaimBundle(json: bundle.normalizingClaimItems())
        #expect(
            normalized.claim.item?[0].modifier?.compactMap { $0.coding?.first?.code } == ["GT", "25", "not-a-modifier"])
        #expect(normalized.claim.billedServices[0].modifiers == ["GT", "25", "not-a-modifier"])
    }

    @Test func everySampleSurvivesAJSONRoundTripUnchanged() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: try SharedSamples.requireFolder().path)
            .filter { $0.hasSuffix(".json") }
        #expect(names.count == 15)
        for name in names {
            let original = try SharedSamples.data(name)
            let value = try JSONDecoder().decode(JSONValue.self, from: original)
            let again = try JSONDecoder().decode(JSONValue.self, from: try JSONEncoder().encode(value))
            #expect(again == value, "\(name)")
            // An independent reading (Foundation's JSONSerialization) of the original and of our
            // re-encoding must agree.
            func normalised(_ data: Data) throws -> Data {
                try JSONSerialization.data(
                    withJSONObject: try JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed),
                    options: [.sortedKeys, .fragmentsAllowed])
            }
            #expect(try normalised(original) == normalised(try value.canonicalData()), "\(name)")
        }
    }
}

@Suite struct ClaimFieldErrorTests {
    /// A minimal claim bundle with `items` as its `Claim.item` JSON.
    func claim(items: String, extra: String = "") throws -> FHIRClaim {
        let json = """
            {"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Claim","id":"c1",
             "identifier":[{"value":"X1"}],"use":"claim","patient":{"reference":"Patient/p"},
             "insurer":{"reference":"Organization/i"},"provider":{"reference":"Organization/o"},
             "created":"2026-01-01T00:10:00+05:30"\(extra),"item":\(items)}}]}
            """
        return try ClaimBundle.read(Data(json.utf8))[0].get().claim
    }

    func errors(_ claim: FHIRClaim) -> [String] {
        do {
            _ = try claim.toDomain()
            return []
        } catch let error as ClaimIntakeError {
            return error.findings.filter { $0.severity == .error }.map { "\($0.field): \($0.message)" }
        } catch {
            return ["\(error)"]
        }
    }

    @Test func eachBadLineIsNamed() throws {
        let items = """
            [{"productOrService":{"coding":[{"code":"A"}]},"unitPrice":{"value":-5,"currency":"INR"}},
             {"productOrService":{"coding":[{"code":"B"}]},"quantity":{"value":0},"unitPrice":{"value":5,"currency":"INR"}},
             {"productOrService":{"coding":[{"code":"C"}]},"unitPrice":{"value":5}},
             {"productOrService":{"coding":[{"code":"D"}]},"unitPrice":{"value":5,"currency":"USD"}},
             {"productOrService":{"text":"no code"},"unitPrice":{"value":5,"currency":"INR"}},
             {"productOrService":{"coding":[{"code":"F"}]},"unitPrice":{"value":1e30,"currency":"INR"}}]
            """
        let found = try errors(claim(items: items))
        #expect(
            found == [
                "Claim.item[0].unitPrice: must not be negative, got INR -5.00",
                "Claim.item[1].quantity: must be positive, got 0",
                "Claim.item[2].unitPrice: required: a unit price (or net) with a currency",
                "Claim.item[4].productOrService: required: a coded product or service",
                "Claim.item[5].unitPrice: INR 1000000000000000000000000000000.00 is outside the range of stored amounts",
                "Claim.item: lines use several currencies (INR, USD); a claim has one",
            ])
    }

    @Test func anEmptyClaimNamesEveryMissingField() throws {
        let json = #"{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Claim"}}]}"#
        let claim = try ClaimBundle.read(Data(json.utf8))[0].get().claim
        #expect(
            errors(claim).map { $0.split(separator: ":")[0] } == [
                "Claim.identifier", "Claim.use", "Claim.patient", "Claim.insurer", "Claim.provider",
                "Claim.billablePeriod",
                "Claim.item",
            ])
    }

    @Test func theServiceDateComesFromTheBillablePeriodAsWritten() throws {
        let items = #"[{"productOrService":{"coding":[{"code":"A"}]},"unitPrice":{"value":5,"currency":"INR"}}]"#
        let withPeriod = try claim(items: items, extra: #","billablePeriod":{"start":"2026-03-01T00:15:00+05:30"}"#)
        let domain = try withPeriod.toDomain()
        #expect(domain.dateOfService.description == "2026-03-01")
        #expect(domain.findings.isEmpty)
        let badDate = try claim(items: items, extra: #","billablePeriod":{"start":"2023-02-30"}"#)
        #expect(errors(badDate) == ["Claim.billablePeriod.start: '2023-02-30' is not a FHIR date or dateTime"])
    }

    @Test func aNetWithoutAUnitPriceIsKeptAndTheUnitPriceDerived() throws {
        let items =
            #"[{"productOrService":{"coding":[{"code":"A"}]},"quantity":{"value":3},"net":{"value":100,"currency":"INR"}}]"#
        let line = try claim(items: items).toDomain().lines[0]
        #expect(line.net.description == "INR 100.00")
        #expect(line.unitPrice.description == "INR 33.33")
    }

    @Test func moreBadInputIsNamed() throws {
        let factorZero =
            #"[{"productOrService":{"coding":[{"code":"A"}]},"factor":0,"net":{"value":100,"currency":"INR"}}]"#
        #expect(errors(try claim(items: factorZero)) == ["Claim.item[0].factor: must be positive, got 0"])
        let badDate =
            #"[{"productOrService":{"coding":[{"code":"A"}]},"servicedDate":"2023-02-30","unitPrice":{"value":5,"currency":"INR"}}]"#
        #expect(
            errors(try claim(items: badDate)) == [
                "Claim.item[0].servicedDate: '2023-02-30' is not a FHIR date or dateTime"
            ])
        let zero = #"[{"productOrService":{"coding":[{"code":"A"}]},"unitPrice":{"value":0,"currency":"INR"}}]"#
        #expect(
            errors(try claim(items: zero)) == ["Claim.item: the lines add up to INR 0.00: there is nothing to claim"])

        let twoClaims =
            #"{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Claim"}},{"resource":{"resourceType":"Claim"}}]}"#
        #expect(
            throws: FHIRError.invalidResource(
                "Bundle", reason: "it holds 2 Claim resources; an HCX claim bundle carries exactly one")
        ) {
            try ClaimBundle.read(Data(twoClaims.utf8))[0].get()
        }
        #expect(
            throws: FHIRError.notJSON(
                "the document: The given data was not valid JSON: unexpected end of data at byte 0.")
        ) {
            try ClaimBundle.read(Data())
        }
    }
}
