import Testing

@testable import RCMCore

struct CSVTableTests {
    @Test func quotedFieldsKeepCommasQuotesAndLineBreaks() throws {
        let rows = try CSVTable.rows(
            "code,description\r\n99213,\"Visit, established\"\n99214,\"He said \"\"hi\"\"\"\n\n99215,\"two\nlines\"\n")
        #expect(
            rows == [
                ["code", "description"], ["99213", "Visit, established"], ["99214", "He said \"hi\""],
                ["99215", "two\nlines"],
            ])
        #expect(throws: CodeSetError.self) { try CSVTable.rows("99213,\"open") }
    }
}
