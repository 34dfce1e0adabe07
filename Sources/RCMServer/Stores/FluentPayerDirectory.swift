import Fluent
import Foundation
import RCMCore
import RevenueCycle

/// ``RevenueCycle/PayerDirectory`` over Fluent (`payer_configs`).
struct FluentPayerDirectory: PayerDirectory {
    let database: any Database

    func configuration(for payer: String) async throws -> PayerConfiguration? {
        try await DatabaseMetrics.measure("payer_configs.configuration") {
            try await PayerConfigModel.query(on: database).filter(\.$payer == payer).first().map(\.domain)
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
