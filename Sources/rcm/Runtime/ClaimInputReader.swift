import ArgumentParser
import Foundation
import RevenueCycle

/// Reads the inputs named on the command line: files, folders (their `*.json` files, sorted by
/// path, recursively) and `-` for standard input.
enum ClaimInputReader {
    static func read(_ paths: [String]) throws -> [ClaimInput] {
        var inputs: [ClaimInput] = []
        let files = FileManager.default
        for path in paths {
            if path == "-" {
                inputs.append(ClaimInput(name: "-", data: FileHandle.standardInput.readDataToEndOfFile()))
                continue
            }
            var isFolder: ObjCBool = false
            guard files.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw ValidationError("\(path): no such file or folder")
            }
            if isFolder.boolValue {
                let found = (files.enumerator(atPath: path)?.compactMap { $0 as? String } ?? [])
                    .filter { $0.hasSuffix(".json") }
                    .sorted()
                    .map { (path as NSString).appendingPathComponent($0) }
                guard !found.isEmpty else { throw ValidationError("\(path): the folder holds no .json files") }
                for file in found { inputs.append(try readFile(file)) }
            } else {
                inputs.append(try readFile(path))
            }
        }
        return inputs
    }

    private static func readFile(_ path: String) throws -> ClaimInput {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("\(path): cannot be read")
        }
        return ClaimInput(name: path, data: data)
    }
}
