extension JSONValue {
    /// This value with `update` laid over it, member by member: objects merge recursively (members
    /// only here are kept), arrays of the same length merge element by element, anything else is
    /// replaced by `update`.
    ///
    /// Used to write a typed FHIR model back over the JSON it was read from, so that elements the
    /// model does not name are kept (see ``Preserved``).
    public func merging(_ update: JSONValue) -> JSONValue {
        switch (self, update) {
        case (.object(var base), .object(let changes)):
            for (key, value) in changes { base[key] = base[key].map { $0.merging(value) } ?? value }
            return .object(base)
        case (.array(let base), .array(let changes)) where base.count == changes.count:
            return .array(zip(base, changes).map { $0.merging($1) })
        default:
            return update
        }
    }
}
