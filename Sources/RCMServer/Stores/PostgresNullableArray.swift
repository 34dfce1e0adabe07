import FluentPostgresDriver
import Foundation

/// A one-dimensional PostgreSQL array whose elements may be NULL, as a binary bound value
/// (PostgresNIO encodes `[Element]` but not `[Element?]`).
///
/// The layout is PostgreSQL's binary array format (`array_send`/`array_recv` in
/// src/backend/utils/adt/arrayfuncs.c): Int32 number of dimensions (0 for an empty array), Int32
/// flags (1 when any element is NULL), element type OID, then per dimension Int32 length and
/// Int32 lower bound (1), then per element an Int32 byte length (-1 for NULL) and the element's
/// binary value as PostgresNIO encodes it.
struct PostgresNullableArray<Element: PostgresArrayEncodable & PostgresNonThrowingEncodable>:
    PostgresNonThrowingEncodable
{
    let elements: [Element?]

    init(_ elements: [Element?]) { self.elements = elements }

    static var psqlType: PostgresDataType { Element.psqlArrayType }

    static var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(
        into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>
    ) {
        buffer.writeInteger(elements.isEmpty ? 0 : 1, as: Int32.self)
        buffer.writeInteger(elements.contains { $0 == nil } ? 1 : 0, as: Int32.self)
        buffer.writeInteger(Element.psqlType.rawValue)
        guard !elements.isEmpty else { return }
        buffer.writeInteger(Int32(elements.count))
        buffer.writeInteger(1, as: Int32.self)
        for element in elements {
            guard let element else {
                buffer.writeInteger(-1, as: Int32.self)
                continue
            }
            let lengthIndex = buffer.writerIndex
            buffer.writeInteger(0, as: Int32.self)
            element.encode(into: &buffer, context: context)
            buffer.setInteger(Int32(buffer.writerIndex - lengthIndex - 4), at: lengthIndex)
        }
    }
}
