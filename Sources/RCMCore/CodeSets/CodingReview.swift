import Foundation

/// The coding agent's checks on a claim's diagnoses and procedures, for its date of service
/// (ICD-10-CM official guidelines, section I.A: header codes are not billable, Excludes1 pairs are
/// never reported together, manifestation codes are never listed first, 7th characters are
/// required where a category defines them). Each finding names the field and says what to do.
///
/// Codes whose system RCM cannot validate (payer package codes, local codes) pass as opaque: the
/// payer's own rules judge them.
public struct CodingReview: Sendable {
    public let catalog: CodeSetCatalog

    public init(catalog: CodeSetCatalog) { self.catalog = catalog }

    /// A billed line as the coding review sees it (`Claim.item`).
    public struct Service: Sendable, Hashable {
        /// The line's position, 1…n (`Claim.item[sequence − 1]`).
        public let sequence: Int
        /// `Claim.item.productOrService`'s first coding.
        public let code: BillingCode
        /// `Claim.item.modifier` codes, in order.
        public let modifiers: [String]
        /// `Claim.item.productOrService.text`: what a not-otherwise-classified code stands for.
        public let narrative: String?

        public init(sequence: Int, code: BillingCode, modifiers: [String], narrative: String?) {
            self.sequence = sequence
            self.code = code
            self.modifiers = modifiers
            self.narrative = narrative
        }
    }

    /// Reviews the claim's codes.
    /// - Parameters:
    ///   - diagnoses: `Claim.diagnosis` in order (the first is the principal diagnosis).
    ///   - procedures: `Claim.procedure` codes.
    ///   - services: the billed lines: HCPCS Level II codes and modifiers checked against CMS's
    ///     file, CPT codes against an imported file or else their format (``serviceFindings(_:)``).
    public func review(
        diagnoses: [BillingCode], procedures: [BillingCode], services: [Service] = [], dateOfService: ServiceDate
    ) -> [ClaimFinding] {
        var findings = services.flatMap(serviceFindings)
        var validDiagnoses: [(index: Int, code: String)] = []
        var checkedICD10CM = 0
        for (index, diagnosis) in diagnoses.enumerated() {
            let field = "Claim.diagnosis[\(index)].diagnosisCodeableConcept"
            guard let system = system(of: diagnosis, expected: .icd10cm, field: field, findings: &findings) else {
                continue
            }
            if system == .icd10cm { checkedICD10CM += 1 }
            if let code = check(diagnosis, system, field: field, date: dateOfService, findings: &findings) {
                validDiagnoses.append((index, code))
            }
        }
        for (index, procedure) in procedures.enumerated() {
            let field = "Claim.procedure[\(index)].procedureCodeableConcept"
            guard let system = system(of: procedure, expected: .icd10pcs, field: field, findings: &findings) else {
                continue
            }
            _ = check(procedure, system, field: field, date: dateOfService, findings: &findings)
        }
        if checkedICD10CM > 0, catalog.predatesReleases(.icd10cm, dateOfService),
            let oldest = catalog.releases[.icd10cm]?.last
        {
            findings.append(
                ClaimFinding(
                    .warning, field: "Claim.diagnosis",
                    "the date of service \(dateOfService) is before the oldest ICD-10-CM release shipped "
                        + "(\(oldest.name)); the codes were checked against \(oldest.name)"))
        }
        guard let release = catalog.release(.icd10cm, on: dateOfService) else { return findings }
        let newest = catalog.release(.icd10cm, on: nil) ?? release
        if let first = validDiagnoses.first, first.index == 0,
            ([newest.entry(first.code)].compactMap { $0 } + newest.ancestors(of: first.code)).contains(
                where: \.manifestation)
        {
            findings.append(
                ClaimFinding(
                    .error, field: "Claim.diagnosis[0]",
                    "\(CodeSystem.icd10cm.display(first.code)) is a manifestation code (\"in diseases classified elsewhere\"): "
                        + "it may not be the first-listed diagnosis; list the underlying condition first"))
        }
        for (position, first) in validDiagnoses.enumerated() {
            for second in validDiagnoses[(position + 1)...] {
                if let rule = excludes(first.code, second.code, in: newest)
                    ?? excludes(second.code, first.code, in: newest)
                {
                    findings.append(
                        ClaimFinding(
                            .error, field: "Claim.diagnosis[\(second.index)]",
                            "\(CodeSystem.icd10cm.display(first.code)) and \(CodeSystem.icd10cm.display(second.code)) "
                                + "may not be reported together (Excludes1 note of \(CodeSystem.icd10cm.display(rule))); "
                                + "keep the one the record supports"))
                }
            }
        }
        return findings
    }

    /// The findings on one billed line (HCPCS Level II 2025, CMS; X12 837P SV101):
    /// - a HCPCS code (system HCPCS, or none and the form `A0000`) must be in CMS's file; a CPT code
    ///   (system CPT, or none and CPT's form `0000`+digit, F, T or U) of CPT's form (AMA-licensed:
    ///   an imported file gives descriptions only); other systems (a chargemaster's, a payer's
    ///   package codes) pass as opaque;
    /// - a not-otherwise-classified code (its description says "unclassified", "not otherwise
    ///   specified" or "classified", or "unlisted") needs a narrative on the line, or the payer
    ///   cannot price it: an error;
    /// - at most four modifiers, each two letters or digits; letters make a HCPCS Level II modifier,
    ///   which must be in CMS's file (two digits are CPT's, AMA's, checked for form only).
    public func serviceFindings(_ service: Service) -> [ClaimFinding] {
        var findings: [ClaimFinding] = []
        let field = "Claim.item[\(service.sequence - 1)]"
        let code = CodeSystem.normalized(service.code.code)
        let system: CodeSystem?
        if let uri = service.code.system, !uri.isEmpty {
            system = CodeSystem(uri: uri) ?? CodeSystem(rawValue: uri.lowercased())
        } else if code.range(of: #"^[A-V][0-9]{4}$"#, options: .regularExpression) != nil {
            system = .hcpcs
        } else if catalog.lookup(.cpt, code).status == .billable {
            // Of CPT's form (the catalog's one CPT rule).
            system = .cpt
        } else {
            system = nil
        }
        var entry: CodeEntry?
        switch system {
        case .hcpcs?:
            let lookup = catalog.lookup(.hcpcs, code)
            if lookup.status == .unknown {
                let hint =
                    lookup.suggestions.isEmpty
                    ? "" : "; codes starting alike: \(lookup.suggestions.joined(separator: ", "))"
                findings.append(
                    ClaimFinding(
                        .error, field: "\(field).productOrService",
                        "\(CodeSystem.hcpcs.display(code)) is not a HCPCS Level II code (\(lookup.release ?? "no release"))\(hint)"
                    ))
            } else {
                entry = catalog.release(.hcpcs, on: nil)?.entry(code)
            }
        case .cpt?:
            // CPT is AMA-licensed: its form is checked; an imported file's descriptions tell its
            // unlisted codes.
            if catalog.lookup(.cpt, code).status == .unknown {
                findings.append(
                    ClaimFinding(
                        .error, field: "\(field).productOrService",
                        "\(CodeSystem.cpt.display(code)) is not of CPT's form (four digits, then a digit or F, T or U, "
                            + "e.g. 99213)"))
            } else {
                entry = catalog.release(.cpt, on: nil)?.entry(code)
            }
        default:
            break
        }
        if let entry, Self.notOtherwiseClassified(entry.description),
            (service.narrative ?? "").trimmingCharacters(in: .whitespaces).isEmpty
        {
            findings.append(
                ClaimFinding(
                    .error, field: "\(field).productOrService.text",
                    "\(entry.code) (\(entry.description)) is a not-otherwise-classified code: describe what was given "
                        + "on the line (the narrative: e.g. drug name, dose and route), or the payer cannot price it"))
        }
        if service.modifiers.count > ServiceModifiers.maximum {
            findings.append(
                ClaimFinding(
                    .error, field: "\(field).modifier",
                    "at most \(ServiceModifiers.maximum) modifiers per line (X12 837P SV101-3…6); got \(service.modifiers.count)"
                ))
        }
        for (position, text) in service.modifiers.enumerated() {
            let modifierField = "\(field).modifier[\(position)]"
            guard let modifier = ServiceModifiers.normalized(text) else {
                findings.append(
                    ClaimFinding(
                        .error, field: modifierField,
                        "'\(CodeSystem.hcpcsModifier.display(text))' is not a modifier: two letters or digits, such as 25, LT or GT"
                    ))
                continue
            }
            let digits = modifier.allSatisfy(\.isNumber)
            if !digits, catalog.lookup(.hcpcsModifier, modifier).status == .unknown,
                catalog.release(.hcpcsModifier, on: nil) != nil
            {
                findings.append(
                    ClaimFinding(
                        .error, field: modifierField,
                        "\(modifier) is not a HCPCS Level II modifier (\(catalog.release(.hcpcsModifier, on: nil)?.name ?? ""))"
                    ))
            }
        }
        return findings
    }

    /// Whether a code's description makes it a not-otherwise-classified code (CMS's and AMA's
    /// wording: "unclassified", "not otherwise specified", "not otherwise classified", "unlisted").
    public static func notOtherwiseClassified(_ description: String) -> Bool {
        let text = description.lowercased()
        return ["unclassified", "not otherwise specified", "not otherwise classified", "unlisted"].contains {
            text.contains($0)
        }
    }

    /// The system of a code: the named one when RCM knows it, `expected` when the code carries no
    /// system; `nil` for an opaque code (an unknown system that the expected code set does not
    /// recognise) — with a finding when a known code comes under a wrong URI.
    private func system(
        of code: BillingCode, expected: CodeSystem, field: String, findings: inout [ClaimFinding]
    ) -> CodeSystem? {
        guard let uri = code.system, !uri.isEmpty else { return expected }
        if let known = CodeSystem(uri: uri) { return known }
        if catalog.lookup(expected, code.code).status != .unknown {
            findings.append(
                ClaimFinding(
                    .warning, field: "\(field).coding.system",
                    "'\(uri)' is not the system URI of \(expected.rawValue.uppercased()); \(code.code) is an "
                        + "\(expected.rawValue.uppercased()) code: use \(expected.uri)"))
        }
        return nil
    }

    /// Validates one code. - Returns: the normalised code when it is valid and billable.
    private func check(
        _ code: BillingCode, _ system: CodeSystem, field: String, date: ServiceDate, findings: inout [ClaimFinding]
    ) -> String? {
        guard system == .icd10cm || system == .icd10pcs else { return nil }
        let lookup = catalog.lookup(system, code.code, on: date)
        let shown = system.display(lookup.code)
        let name = system.rawValue.uppercased()
        switch lookup.status {
        case .billable:
            return lookup.code
        case .unknown:
            let hint =
                lookup.suggestions.isEmpty
                ? "" : "; codes starting alike: \(lookup.suggestions.map(system.display).joined(separator: ", "))"
            findings.append(
                ClaimFinding(
                    .error, field: field,
                    "\(shown) is not an \(name) code valid on \(date) (\(lookup.release ?? "no release"))\(hint)"))
        case .header:
            if system == .icd10cm, let seventh = seventhCharacterRule(for: lookup.code),
                let example = lookup.suggestions.first(where: { child in
                    child.count == 7 && child.hasPrefix(lookup.code)
                        && child.dropFirst(lookup.code.count).dropLast().allSatisfy { $0 == "X" }
                })
            {
                findings.append(
                    ClaimFinding(
                        .error, field: field,
                        "\(shown) needs a 7th character (\(seventh)), e.g. \(system.display(example))"))
            } else {
                let children = lookup.suggestions.prefix(8).map(system.display).joined(separator: ", ")
                findings.append(
                    ClaimFinding(
                        .error, field: field,
                        "\(shown) is a header code, not billable: use a more specific code"
                            + (children.isEmpty ? "" : " (\(children)\(lookup.suggestions.count > 8 ? ", …" : ""))")))
            }
        }
        return nil
    }

    /// The 7th-character values that apply to a code, when one of its ancestors defines them and
    /// the code has fewer than 7 characters.
    func seventhCharacterRule(for code: String) -> String? {
        guard code.count < 7, let release = catalog.release(.icd10cm, on: nil) else { return nil }
        let defining = ([release.entry(code)].compactMap { $0 } + release.ancestors(of: code))
            .first { !$0.seventhCharacters.isEmpty }
        guard let values = defining?.seventhCharacters, !values.isEmpty else { return nil }
        return values.keys.sorted().prefix(4).map { "\($0) \(values[$0] ?? "")" }.joined(separator: "; ")
            + (values.count > 4 ? "; …" : "")
    }

    /// The code whose Excludes1 note forbids `other` next to `code` (`code` itself or an ancestor).
    private func excludes(_ code: String, _ other: String, in release: CodeSetRelease) -> String? {
        ([release.entry(code)].compactMap { $0 } + release.ancestors(of: code))
            .first { entry in entry.excludes1.contains { CodeSetRelease.matches(other, pattern: $0) } }?.code
    }
}
