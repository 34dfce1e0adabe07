import Foundation
import RCMCore

extension FHIRClaim {
    /// The coded procedures (`Claim.procedure.procedureCodeableConcept`, first coding each), in
    /// order; procedures given only by reference are left out.
    public var procedureCodes: [BillingCode] {
        (procedure ?? []).compactMap { entry in
            guard let coding = entry.procedureCodeableConcept?.coding?.first, let code = coding.code else { return nil }
            return BillingCode(system: coding.system, code: code, display: coding.display)
        }
    }

    /// The billed lines as the coding review reads them (`Claim.item`, numbered 1…n in the order
    /// sent): `productOrService`'s first coding, the first coding of each `modifier`, and
    /// `productOrService.text` as the line's narrative. Lines without a coded service are left out
    /// (intake refuses them).
    public var billedServices: [CodingReview.Service] {
        (item ?? []).enumerated().compactMap { index, item in
            guard let coding = item.productOrService?.coding?.first, let code = coding.code else { return nil }
            return CodingReview.Service(
                sequence: index + 1, code: BillingCode(system: coding.system, code: code, display: coding.display),
                modifiers: (item.modifier ?? []).compactMap { $0.coding?.first?.code ?? $0.text },
                narrative: item.productOrService?.text)
        }
    }

    /// Reads this FHIR Claim into the domain ``RCMCore/Claim``.
    ///
    /// Rules (FHIR R4 Claim; HCX IG v0.7.1; docs DESIGN.md §4, §6):
    /// - identifier: the first `Claim.identifier` with a value; without one, `Claim.id` is used with
    ///   a warning.
    /// - date of service: `billablePeriod.start`, else the earliest `item.servicedDate` /
    ///   `item.servicedPeriod.start`, else the date part of `Claim.created` with a warning; always
    ///   the calendar date as written, never shifted through UTC.
    /// - lines are renumbered 1…n in the order sent (submitters repeat `item.sequence`); a line's
    ///   billed amount is `item.net`, else `unitPrice × quantity × factor` (quantity and factor 1
    ///   when absent); all lines must share one currency; every `item.diagnosisSequence` points at
    ///   a `Claim.diagnosis.sequence`.
    /// - the billed total is the sum of the lines; a `Claim.total` that differs gives a warning.
    /// - Throws: ``RCMCore/ClaimIntakeError`` listing every field-level error found.
    public func toDomain() throws -> RCMCore.Claim {
        var findings: [ClaimFinding] = []
        func fail(_ field: String, _ message: String) { findings.append(ClaimFinding(.error, field: field, message)) }
        func warn(_ field: String, _ message: String) { findings.append(ClaimFinding(.warning, field: field, message)) }

        var identifier: ClaimIdentifier?
        if let first = self.identifier?.first(where: { !($0.value ?? "").isEmpty }), let value = first.value {
            identifier = ClaimIdentifier(system: first.system, value: value)
        } else if let id, !id.isEmpty {
            identifier = ClaimIdentifier(system: nil, value: id)
            warn("Claim.identifier", "no business identifier; Claim.id '\(id)' is used instead")
        } else {
            fail("Claim.identifier", "required: the claim needs an identifier (or at least an id)")
        }

        var claimUse: ClaimUse?
        if let use = self.use {
            claimUse = ClaimUse(rawValue: use)
            if claimUse == nil { fail("Claim.use", "'\(use)' is not claim, preauthorization or predetermination") }
        } else {
            fail("Claim.use", "required (claim, preauthorization or predetermination)")
        }

        let patient = self.patient?.label
        if patient == nil { fail("Claim.patient", "required: reference to the patient") }
        let payer = self.insurer?.label
        if payer == nil { fail("Claim.insurer", "required: reference to the payer") }
        let provider = self.provider?.label
        if provider == nil { fail("Claim.provider", "required: reference to the billing provider") }

        let dateOfService = readDateOfService(fail: fail, warn: warn)
        let lines = readLines(fail: fail, warn: warn)

        var billedTotal: Money?
        if let lines, let currency = lines.first?.net.currency {
            billedTotal = try? lines.reduce(Money.zero(currency)) { try $0.adding($1.net) }
            if let total = billedTotal, (try? total.minorUnits()) == nil {
                fail("Claim.item", "the lines add up to more than can be stored (\(total))")
                billedTotal = nil
            } else if let total = billedTotal, total.isZero {
                fail("Claim.item", "the lines add up to \(total): there is nothing to claim")
                billedTotal = nil
            }
            if let billedTotal, let sent = total, let value = sent.value,
                sent.currency?.uppercased() != currency.code || value != billedTotal.amount
            {
                warn(
                    "Claim.total",
                    "\(sent.currency ?? "?") \(value) differs from the sum of the lines (\(billedTotal)); the lines' sum is used"
                )
            }
        }

        let diagnoses: [BillingCode] = (diagnosis ?? []).compactMap { entry in
            guard let coding = entry.diagnosisCodeableConcept?.coding?.first(where: { $0.code != nil }),
                let code = coding.code
            else { return nil }
            return BillingCode(system: coding.system, code: code, display: coding.display)
        }

        guard !findings.contains(where: { $0.severity == .error }), let identifier, let claimUse,
            let patient, let payer, let provider, let dateOfService, let lines, let billedTotal
        else {
            throw ClaimIntakeError(findings: findings)
        }
        return RCMCore.Claim(
            identifier: identifier, resourceID: id, use: claimUse, patientReference: patient, payer: payer,
            provider: provider, dateOfService: dateOfService, diagnoses: diagnoses, lines: lines,
            billedTotal: billedTotal, findings: findings)
    }

    private func readDateOfService(
        fail: (String, String) -> Void, warn: (String, String) -> Void
    ) -> ServiceDate? {
        if let start = billablePeriod?.start {
            guard let date = try? ServiceDate(iso8601: start) else {
                fail("Claim.billablePeriod.start", "'\(start)' is not a FHIR date or dateTime")
                return nil
            }
            return date
        }
        var itemDates: [ServiceDate] = []
        for (index, item) in (item ?? []).enumerated() {
            let (element, text) =
                item.servicedDate.map { ("servicedDate", $0) } ?? item.servicedPeriod?.start.map {
                    ("servicedPeriod.start", $0)
                }
                ?? ("", "")
            guard !text.isEmpty else { continue }
            guard let date = try? ServiceDate(iso8601: text) else {
                fail("Claim.item[\(index)].\(element)", "'\(text)' is not a FHIR date or dateTime")
                return nil
            }
            itemDates.append(date)
        }
        if let earliest = itemDates.min() { return earliest }
        guard let created else {
            fail("Claim.billablePeriod", "no date of service: send billablePeriod, item.servicedDate or created")
            return nil
        }
        guard let date = try? ServiceDate(iso8601: created) else {
            fail("Claim.created", "'\(created)' is not a FHIR dateTime")
            return nil
        }
        warn("Claim.billablePeriod", "no service date; Claim.created (\(date)) is taken as the date of service")
        return date
    }

    private func readLines(fail: (String, String) -> Void, warn: (String, String) -> Void) -> [ClaimLine]? {
        guard let items = item, !items.isEmpty else {
            fail("Claim.item", "required: at least one billed line")
            return nil
        }
        var lines: [ClaimLine] = []
        var currencies = Set<CurrencyCode>()
        let fallbackCurrency = total?.currency
        for (index, item) in items.enumerated() {
            let field = "Claim.item[\(index)]"
            guard let coding = item.productOrService?.coding?.first(where: { $0.code != nil }), let code = coding.code
            else {
                fail("\(field).productOrService", "required: a coded product or service")
                continue
            }
            let diagnosisSequences = Set((diagnosis ?? []).compactMap(\.sequence))
            for pointer in item.diagnosisSequence ?? [] where !diagnosisSequences.contains(pointer) {
                fail(
                    "\(field).diagnosisSequence",
                    "\(pointer) points at no Claim.diagnosis.sequence (there are: "
                        + "\(diagnosisSequences.sorted().map(String.init).joined(separator: ", ")))")
            }
            let quantity = item.quantity?.value ?? 1
            guard quantity > 0 else {
                fail("\(field).quantity", "must be positive, got \(quantity)")
                continue
            }
            let factor = item.factor ?? 1
            guard factor > 0 else {
                fail("\(field).factor", "must be positive, got \(factor)")
                continue
            }
            let sentUnitPrice = item.unitPrice?.value
            let sentNet = item.net?.value
            guard sentUnitPrice != nil || sentNet != nil,
                let currencyText = item.unitPrice?.currency ?? item.net?.currency ?? fallbackCurrency
            else {
                fail("\(field).unitPrice", "required: a unit price (or net) with a currency")
                continue
            }
            guard let currency = try? CurrencyCode(currencyText) else {
                fail("\(field).unitPrice.currency", "'\(currencyText)' is not an ISO 4217 currency code")
                continue
            }
            currencies.insert(currency)
            /// An amount as sent in `element`, refused when negative, finer than the minor unit, or
            /// beyond 64-bit minor units (the storage form).
            func amount(_ value: Decimal, _ element: String) -> Money? {
                do {
                    let money = try Money(value, currency)
                    _ = try money.minorUnits()
                    guard money.amount >= 0 else {
                        fail("\(field).\(element)", "must not be negative, got \(money)")
                        return nil
                    }
                    return money
                } catch {
                    fail("\(field).\(element)", "\(error)")
                    return nil
                }
            }
            let units = quantity * factor
            let unitPrice: Money
            let net: Money
            if let sentUnitPrice {
                guard let price = amount(sentUnitPrice, "unitPrice") else { continue }
                unitPrice = price
                let computed = price.multiplied(by: units)
                if let sentNet {
                    guard let sent = amount(sentNet, "net") else { continue }
                    net = sent
                    if net != computed {
                        warn("\(field).net", "\(net) differs from unitPrice × quantity (\(computed)); net is used")
                    }
                } else {
                    guard (try? computed.minorUnits()) != nil else {
                        fail("\(field).unitPrice", "unit price × quantity is beyond the range of stored amounts")
                        continue
                    }
                    net = computed
                }
            } else {
                // Only the net was sent: the unit price is derived from it, rounded to the minor unit.
                guard let sent = amount(sentNet!, "net") else { continue }
                net = sent
                unitPrice = Money(rounding: net.amount / units, currency)
            }
            lines.append(
                ClaimLine(
                    sequence: lines.count + 1, submittedSequence: item.sequence,
                    service: BillingCode(system: coding.system, code: code, display: coding.display),
                    quantity: quantity, unitPrice: unitPrice, net: net))
        }
        if currencies.count > 1 {
            fail(
                "Claim.item",
                "lines use several currencies (\(currencies.sorted().map(\.code).joined(separator: ", "))); a claim has one"
            )
        }
        let sequences = items.compactMap(\.sequence)
        if Set(sequences).count != sequences.count {
            warn(
                "Claim.item.sequence",
                "line sequence numbers repeat; lines are renumbered 1…\(items.count) in the order sent")
        }
        return lines.count == items.count ? lines : nil
    }
}
