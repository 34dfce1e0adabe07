import Testing

@testable import RCMCore

/// The one rule for control characters in text from outside.
@Suite struct InputTextTests {
    @Test func identifiersHoldNoControlCharacterAndProseOnlyTabsAndLineBreaks() {
        #expect(InputText.problem(in: "CHQ-1001", as: .identifier) == nil)
        #expect(InputText.forbiddenCharacter(in: "CHQ\n1001", as: .identifier) == "\n")
        #expect(InputText.forbiddenCharacter(in: "a\u{0}b", as: .identifier) == "\u{0}")
        #expect(InputText.forbiddenCharacter(in: "a\u{85}b", as: .identifier) == "\u{85}")  // C1 NEL
        #expect(InputText.forbiddenCharacter(in: "a\u{7F}b", as: .freeText) == "\u{7F}")
        #expect(InputText.problem(in: "line one\nline two\ttabbed\r\n", as: .freeText) == nil)
        #expect(
            InputText.problem(in: "x\u{1B}[31m", as: .freeText)
                == "contains the control character U+001B; text may contain tab and line breaks but no other control "
                + "characters")
        // Letters of any script are not control characters.
        #expect(InputText.problem(in: "रोगी ЖЁ 患者 é", as: .identifier) == nil)
    }

    @Test func escapingIsReversibleAndLeavesCleanTextAlone() {
        #expect(InputText.escaped("ENC-1\\a") == "ENC-1\\a")
        #expect(InputText.escaped("A\nB\u{0}\\") == "A\\u{A}B\\u{0}\\\\")
        #expect(InputText.forbiddenCharacter(in: InputText.escaped("\u{0}\u{1F}\u{9F}"), as: .identifier) == nil)
    }

    @Test func identifierMembersAreKnownByName() {
        for key in ["id", "payment_identifier", "claim_id", "claimID", "workflowId", "reference", "fullUrl", "code"] {
            #expect(InputText.isIdentifierKey(key), "\(key)")
        }
        for key in ["note", "div", "display", "reason", "text"] { #expect(!InputText.isIdentifierKey(key), "\(key)") }
    }
}
