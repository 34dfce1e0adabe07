/// The four separators of an X12 interchange, read from its ISA segment (X12.5, 5010): the
/// element separator is ISA's fourth character, the repetition separator ISA11, the component
/// separator ISA16 and the segment terminator the character after ISA16.
public struct X12Delimiters: Sendable, Hashable {
    public let element: Character
    public let repetition: Character
    public let component: Character
    public let segment: Character

    /// The separators RCM writes: `*`, `^`, `:` and `~`.
    public static let standard = X12Delimiters(element: "*", repetition: "^", component: ":", segment: "~")

    public init(element: Character, repetition: Character, component: Character, segment: Character) {
        self.element = element
        self.repetition = repetition
        self.component = component
        self.segment = segment
    }

    /// Whether `text` holds none of the separators (a value written into an element must not).
    public func admits(_ text: String) -> Bool {
        !text.contains { $0 == element || $0 == repetition || $0 == component || $0 == segment }
    }
}
