import ArgumentParser
import Foundation
import RCMCore
import RCMServer

/// `rcm codes lookup|search|import`: the shipped code sets from the command line.
struct CodesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codes",
        abstract: "Look up and search code sets (ICD-10-CM, ICD-10-PCS, HCPCS, CPT, place of service).",
        subcommands: [Lookup.self, Search.self, Import.self])

    static func catalog() throws -> CodeSetCatalog {
        do {
            return try CodeSetFiles.load(from: CodeSetFiles.dataDirectory())
        } catch {
            throw OperatorError("\(error)")
        }
    }

    static func system(_ text: String) throws -> CodeSystem {
        try CommandValue.parse(text, as: CodeSystem.self, option: "--system")
    }

    struct Lookup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a code for a date of service: billable, header (with codes below it) or unknown.")

        @ArgumentParser.Argument(help: "The code, dotted or not (E11.9, e119).")
        var code: String

        @ArgumentParser.Option(help: "icd-10-cm, icd-10-pcs, hcpcs, cpt or pos.")
        var system = "icd-10-cm"

        @ArgumentParser.Option(help: "Date of service, YYYY-MM-DD (default: the newest release).")
        var date: String?

        func run() async throws {
            let system = try CodesCommand.system(system)
            let day = try date.map { text in
                guard let parsed = try? ServiceDate(iso8601: text) else {
                    throw ValidationError("--date must be YYYY-MM-DD, got \(text)")
                }
                return parsed
            }
            let found = try CodesCommand.catalog().lookup(system, code, on: day)
            let shown = system.display(found.code)
            switch found.status {
            case .billable:
                print("\(shown)  billable  \(found.description ?? "")  [\(found.release ?? "")]")
            case .header:
                print("\(shown)  header (not billable)  \(found.description ?? "")  [\(found.release ?? "")]")
                if !found.suggestions.isEmpty {
                    print("  bill one of: \(found.suggestions.map(system.display).joined(separator: ", "))")
                }
            case .unknown:
                print("\(shown)  unknown in \(found.release ?? "the shipped data")")
                if !found.suggestions.isEmpty {
                    print("  codes starting alike: \(found.suggestions.map(system.display).joined(separator: ", "))")
                }
                throw ExitCode(1)
            }
        }
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Search a code set by code prefix or by words of the descriptions.")

        @ArgumentParser.Argument(help: "A code prefix (E11.6) or words (type 2 diabetes).")
        var text: [String]

        @ArgumentParser.Option(help: "icd-10-cm, icd-10-pcs, hcpcs, cpt or pos.")
        var system = "icd-10-cm"

        @ArgumentParser.Option(help: "At most this many results.")
        var limit = 25

        func run() async throws {
            let system = try CodesCommand.system(system)
            let results = try CodesCommand.catalog().search(system, text.joined(separator: " "), limit: limit)
            for entry in results {
                print("\(system.display(entry.code))\t\(entry.billable ? "billable" : "header")\t\(entry.description)")
            }
            if results.isEmpty {
                print("no match")
                throw ExitCode(1)
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load a customer's licensed CPT descriptions (CSV: code,description) into the data folder.")

        @ArgumentParser.Option(help: "Only cpt can be imported.")
        var system: String

        @ArgumentParser.Argument(help: "CSV file with a header line: code,description.")
        var file: String

        func run() async throws {
            guard try CodesCommand.system(system) == .cpt else {
                throw ValidationError("only --system cpt can be imported (the other code sets ship with RCM)")
            }
            let text = String(decoding: try OperatorFiles.data(file), as: UTF8.self)
            let table: [[String]]
            do {
                table = try CSVTable.rows(text)
            } catch {
                throw OperatorError("\(file): \(error)")
            }
            guard let header = table.first?.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }),
                header.count >= 2, header[0] == "code", header[1] == "description"
            else {
                throw OperatorError("\(file): the first line must be the header code,description")
            }
            var descriptions: [String: String] = [:]
            for (index, fields) in table.dropFirst().enumerated() {
                let line = index + 2
                guard fields.count >= 2 else { throw OperatorError("\(file): line \(line): expected code,description") }
                let code = CodeSystem.normalized(fields[0])
                guard code.range(of: #"^[0-9]{4}[0-9FTU]$"#, options: .regularExpression) != nil else {
                    throw OperatorError(
                        "\(file): line \(line): '\(code.prefix(20))' is not a CPT code (4 digits and a digit, F, T or U)"
                    )
                }
                let description = fields[1].split(whereSeparator: \.isWhitespace).joined(separator: " ")
                guard !description.isEmpty else {
                    throw OperatorError("\(file): line \(line): the description is empty")
                }
                guard descriptions[code] == nil else {
                    throw OperatorError("\(file): line \(line): \(code) appears twice")
                }
                descriptions[code] = description
            }
            guard !descriptions.isEmpty else {
                throw OperatorError("\(file): no codes to import (the previous import is kept)")
            }
            let rows = descriptions.keys.sorted().map { "\($0)\t\(descriptions[$0] ?? "")" }
            let target = CodeSetFiles.dataDirectory().appendingPathComponent("code-sets/cpt-imported.tsv")
            do {
                try Data((["code\tdescription"] + rows).joined(separator: "\n").utf8).write(
                    to: target, options: .atomic)
            } catch {
                throw OperatorError("\(target.path): cannot write (\(error.localizedDescription))")
            }
            print("Imported \(rows.count) CPT description(s) into \(target.path)")
        }
    }
}
