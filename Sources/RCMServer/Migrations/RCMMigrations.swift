import Fluent
import Vapor

/// Every migration, in the order they apply. Append new ones at the end; never rename or
/// reorder: the names are recorded in `_fluent_migrations`.
public enum RCMMigrations {
    static let all: [any Migration] = [
        CreateClaims(),
        CreateWorkflowTables(),
        CreateHCXMessages(),
        AddWorkflowLeasesAndLogs(),
        CreatePayments(),
        CreateEligibilityChecks(),
        CreateSecurityTables(),
        CreateDenialActions(),
        CreatePayerConfigs(),
        AddWorkflowQueueIndex(),
        AddClaimListIndex(),
        CreateConsoleSessions(),
        CreateAnalyticsSummary(),
        AddClaimLookupIndexes(),
        AddDenialQueueColumns(),
        AddPayerTransport(),
        CreateX12Submissions(),
        CreateX12Remittances(),
    ]

    /// The names of all migrations, in order.
    public static var names: [String] { all.map(\.name) }
}

/// Registers RCM's migrations with the application's migrator.
public func configureMigrations(_ app: Application) {
    app.migrations.add(RCMMigrations.all)
}
