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
                        "payer", "name", "timely_filing_days", "preauth_over_minor", "preauth_currency", "preauth_codes"
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
            return model.domain
        }
    }

    func save(_ configuration: PayerConfiguration) async throws -> PayerConfiguration? {
        try await DatabaseMetrics.measure("payer_configs.save") {
            try await database.transaction { transaction in
                let existing = try await PayerConfigModel.query(on: transaction)
                    .filter(\.$payer == configuration.payer).first()
                let row = existing ?? PayerConfigModel()
                let before = existing?.domain
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
                try await row.save(on: transaction)
                return before
            }
        }
    }

    func all() async throws -> [PayerConfiguration] {
        try await DatabaseMetrics.measure("payer_configs.all") {
            try await PayerConfigModel.query(on: database).sort(\.$payer).all().map(\.domain)
        }
    }
}

extension PayerConfigModel {
    var domain: PayerConfiguration {
        PayerConfiguration(
            payer: payer, name: name, timelyFilingDays: timelyFilingDays,
            preauthorizationOver: preauthOverMinor.flatMap { minor in
                (try? CurrencyCode(preauthCurrency ?? "INR")).map { Money(minorUnits: minor, currency: $0) }
            },
            preauthorizationCodes: preauthCodes.flatMap {
                try? JSONDecoder().decode([String].self, from: Data($0.utf8))
            }
                ?? [])
    }
}
