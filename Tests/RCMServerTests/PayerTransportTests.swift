import Foundation
import RCMCore
import SQLKit
import Testing

@testable import RCMServer

/// A payer's transport (`payer_configs.transport`, migration 0016): HCX by default and for rows
/// from before it, X12 with its receiver ids, kept and read back; rows that cannot be used fail
/// with the column named rather than sending claims the wrong way.
@Suite struct PayerTransportTests {
    @Test(arguments: TestDatabase.available)
    func theTransportIsKeptWithTheReceiverIds(_ kind: TestDatabase) async throws {
        try await kind.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                try await app.autoMigrate()
                let payers = FluentPayerDirectory(database: app.db)
                let receiver = try PayerTransport.X12Receiver(
                    receiverID: " CLEARHOUSE01 ", receiverName: "Demo Clearinghouse", payerID: "60054")
                #expect(receiver.receiverID == "CLEARHOUSE01")
                try await payers.save(
                    PayerConfiguration(payer: "AETNA", name: "Aetna", timelyFilingDays: 90, transport: .x12(receiver)))
                try await payers.save(PayerConfiguration(payer: "GICOFINDIA", name: nil, timelyFilingDays: nil))
                #expect(try await payers.configuration(for: "AETNA")?.transport == .x12(receiver))
                #expect(try await payers.configuration(for: "GICOFINDIA")?.transport == .hcx)
                #expect(try await payers.all().map(\.transport) == [.x12(receiver), .hcx])

                // Back to HCX: the receiver ids go with it.
                let before = try await payers.save(PayerConfiguration(payer: "AETNA", name: nil, timelyFilingDays: 90))
                #expect(before?.transport == .x12(receiver))
                let sql = try #require(app.db as? any SQLDatabase)
                let row = try #require(
                    try await sql.raw("SELECT transport, x12_receiver_id FROM payer_configs WHERE payer = 'AETNA'")
                        .first())
                #expect(try row.decode(column: "transport", as: String?.self) == "hcx")
                #expect(try row.decode(column: "x12_receiver_id", as: String?.self) == nil)

                // A row from before migration 0016 reads as HCX; a row edited by hand into nonsense fails.
                try await sql.raw("UPDATE payer_configs SET transport = NULL WHERE payer = 'AETNA'").run()
                #expect(try await payers.configuration(for: "AETNA")?.transport == .hcx)
                try await sql.raw("UPDATE payer_configs SET transport = 'fax' WHERE payer = 'AETNA'").run()
                await #expect {
                    try await payers.configuration(for: "AETNA")
                } throws: {
                    "\($0)" == "stored value 'fax' in payer_configs.transport of AETNA cannot be read"
                }
                try await sql.raw("UPDATE payer_configs SET transport = 'x12' WHERE payer = 'AETNA'").run()
                await #expect {
                    try await payers.configuration(for: "AETNA")
                } throws: {
                    "\($0)".contains("payer_configs.x12_* of AETNA") && "\($0)".contains("receiver id must be 2–15")
                }
            }
        }
    }

    @Test func receiverIdsThatX12CannotCarryAreRefusedByField() {
        #expect(throws: PayerTransportError("receiver id must be 2–15 characters, got 16")) {
            try PayerTransport.X12Receiver(receiverID: "ABCDEFGHIJKLMNOP", receiverName: "X", payerID: "12")
        }
        #expect(
            throws: PayerTransportError(
                "payer id 'A*B' holds a character X12 cannot carry (non-ASCII, a control character, * : ^ or ~)")
        ) {
            try PayerTransport.X12Receiver(receiverID: "AB", receiverName: "X", payerID: "A*B")
        }
        #expect(throws: PayerTransportError("receiver name must be 1–60 characters, got 0")) {
            try PayerTransport.X12Receiver(receiverID: "AB", receiverName: "  ", payerID: "12")
        }
    }
}
