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
        PayerConfiguration(payer: payer, name: name, timelyFilingDays: timelyFilingDays)
    }
}
