import Fluent
import Foundation
import RCMCore
import RevenueCycle
import SQLKit

/// ``RevenueCycle/PayerDirectory`` over Fluent (`payer_configs`).
struct FluentPayerDirectory: PayerDirectory {
    let database: any Database

    func configuration(for payer: String) async throws -> PayerConfiguration? {
        try await DatabaseMetrics.measure("payer_configs.configuration") {
            // Plain SQL: asked twice per claim cycle (the scrub and the pre-authorisation steps).
            guard
                let row = try await database.sql.select()
                    .columns(
                        "payer", "name", "timely_filing_days", "preauth_over_minor", "preauth_currency",
                        "preauth_codes",
                        "transport", "x12_receiver_id", "x12_receiver_name", "x12_payer_id"
                    )
                    .from(PayerConfigModel.schema).where("payer", .equal, payer).limit(1).first()
            else { return nil }
            let model = PayerConfigModel()
            model.payer = try row.decode(column: "payer", as: String.self)
            model.name = try row.decode(column: "name", as: String?.self)
            model.timelyFilingDays = try row.decode(column: "timely_filing_days", as: Int?.self)
            model.preauthOverMinor = try row.decode(column: "preauth_over_minor", as: Int64?.self)
            model.preauthCurrency = try row.decode(column: "preauth_currency", as: String?.self)
            model.preauthCodes = try row.decode(column: "preauth_codes", as: String?.self)
            model.transport = try row.decode(column: "transport", as: String?.self)
            model.x12ReceiverID = try row.decode(column: "x12_receiver_id", as: String?.self)
            model.x12ReceiverName = try row.decode(column: "x12_receiver_name", as: String?.self)
            model.x12PayerID = try row.decode(column: "x12_payer_id", as: String?.self)
            return try model.domain()
        }
    }

    func save(_ configuration: PayerConfiguration) async throws -> PayerConfiguration? {
        try await DatabaseMetrics.measure("payer_configs.save") {
            try await database.transaction { transaction in
                let existing = try await PayerConfigModel.query(on: transaction)
                    .filter(\.$payer == configuration.payer).first()
                let row = existing ?? PayerConfigModel()
                let before = try existing?.domain()
                if existing == nil {
                    row.id = UUID()
                    row.payer = configuration.payer
                }
                row.name = configuration.name
                row.timelyFilingDays = configuration.timelyFilingDays
                row.preauthOverMinor = try configuration.preauthorizationOver?.minorUnits()
                row.preauthCurrency = configuration.preauthorizationOver?.currency.code
                row.preauthCodes =
                    configuration.preauthorizationCodes.isEmpty
                    ? nil
                    : String(decoding: try JSONEncoder().encode(configuration.preauthorizationCodes), as: UTF8.self)
                row.transport = configuration.transport.name
                let receiver: PayerTransport.X12Receiver? =
                    if case .x12(let receiver) = configuration.transport { receiver } else { nil }
                row.x12ReceiverID = receiver?.receiverID
                row.x12ReceiverName = receiver?.receiverName
                row.x12PayerID = receiver?.payerID
                try await row.save(on: transaction)
                return before
            }
        }
    }

    func all() async throws -> [PayerConfiguration] {
        try await DatabaseMetrics.measure("payer_configs.all") {
            try await PayerConfigModel.query(on: database).sort(\.$payer).all().map { try $0.domain() }
        }
    }
}

extension PayerConfigModel {
    /// The row as a configuration.
    /// - Throws: `StoredDataError` when its transport is neither `hcx` nor `x12`, or an X12
    ///   payer's receiver ids are missing or unusable (written by hand: `rcm payers set` checks them).
    func domain() throws -> PayerConfiguration {
        let transport: PayerTransport
        switch self.transport {
        case nil, "hcx"?: transport = .hcx
        case "x12"?:
            do {
                transport = .x12(
                    try PayerTransport.X12Receiver(
                        receiverID: x12ReceiverID ?? "", receiverName: x12ReceiverName ?? "", payerID: x12PayerID ?? "")
                )
            } catch {
                throw StoredDataError(column: "payer_configs.x12_* of \(payer)", value: "\(error)")
            }
        case let other?: throw StoredDataError(column: "payer_configs.transport of \(payer)", value: other)
        }
        return PayerConfiguration(
            payer: payer, name: name, timelyFilingDays: timelyFilingDays,
            preauthorizationOver: preauthOverMinor.flatMap { minor in
                (try? CurrencyCode(preauthCurrency ?? "INR")).map { Money(minorUnits: minor, currency: $0) }
            },
            preauthorizationCodes: preauthCodes.flatMap {
                try? JSONDecoder().decode([String].self, from: Data($0.utf8))
            }
                ?? [],
            transport: transport)
    }
}
