import RCMCore

extension JSONValue {
    /// A string of a JSON document that breaks ``RCMCore/InputText``'s rule.
    public struct InputTextProblem: Sendable, Equatable {
        /// Where: a JSON path such as `services[0].code` (`body` for the document itself).
        public let field: String
        public let message: String
    }

    /// Every string in this document (member names included) that breaks ``RCMCore/InputText``'s
    /// rule: members whose name is an identifier's (``RCMCore/InputText/isIdentifierKey(_:)``), and
    /// member names themselves, may hold no control character; other strings are free text. At most
    /// `limit` problems, in document order (object members by name).
    public func inputTextProblems(limit: Int = 20) -> [InputTextProblem] {
        var problems: [InputTextProblem] = []
        func walk(_ value: JSONValue, _ path: String, _ kind: InputText.Kind) {
            guard problems.count < limit else { return }
            switch value {
            case .string(let text):
                if let message = InputText.problem(in: text, as: kind) {
                    problems.append(InputTextProblem(field: path.isEmpty ? "body" : path, message: message))
                }
            case .array(let elements):
                for (index, element) in elements.enumerated() { walk(element, "\(path)[\(index)]", kind) }
            case .object(let members):
                for (key, member) in members.sorted(by: { $0.key < $1.key }) {
                    let memberPath = path.isEmpty ? key : "\(path).\(key)"
                    if let message = InputText.problem(in: key, as: .identifier) {
                        problems.append(
                            InputTextProblem(
                                field: path.isEmpty ? InputText.escaped(key) : "\(path).\(InputText.escaped(key))",
                                message: "a member name " + message))
                        continue
                    }
                    walk(member, memberPath, InputText.isIdentifierKey(key) ? .identifier : .freeText)
                }
            case .null, .bool, .number:
                break
            }
        }
        walk(self, "", .freeText)
        return problems
    }
}
