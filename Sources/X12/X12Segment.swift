/// One X12 segment: its identifier (`ISA`, `CLM`, `SV1`) and its elements, each a list of
/// components (most elements have one). `elements[0]` is the segment's first element (`CLM01`).
public struct X12Segment: Sendable, Hashable {
    public let id: String
    public var elements: [[String]]

    /// A segment of simple elements (one component each); trailing empty elements are dropped
    /// when written.
    public init(_ id: String, _ elements: String...) {
        self.init(id, elements: elements.map { [$0] })
    }

    public init(_ id: String, elements: [[String]]) {
        self.id = id
        self.elements = elements
    }

    /// Element `position` (1-based, as the guides number them: `CLM02` is `self[2]`), its first
    /// component; empty when absent.
    public subscript(position: Int) -> String {
        position >= 1 && position <= elements.count ? elements[position - 1].first ?? "" : ""
    }

    /// The components of element `position` (1-based); empty when absent.
    public func components(_ position: Int) -> [String] {
        position >= 1 && position <= elements.count ? elements[position - 1] : []
    }
}
