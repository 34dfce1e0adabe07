import Foundation
import RevenueCycle

/// Reads the inputs named on the command line: files, folders (their `*.json` and `*.ndjson` files, any case,
/// sorted by path, recursively) and `-` for standard input. A path that cannot be read becomes an
/// input with a problem, reported with the others.
enum ClaimInputReader {
    static func read(_ paths: [String]) -> [ClaimInput] {
        var inputs: [ClaimInput] = []
        let files = FileManager.default
        for path in paths {
            if path == "-" {
                inputs.append(ClaimInput(name: "-", data: FileHandle.standardInput.readDataToEndOfFile()))
                continue
            }
            var isFolder: ObjCBool = false
            guard files.fileExists(atPath: path, isDirectory: &isFolder) else {
                inputs.append(ClaimInput(name: path, problem: "no such file or folder"))
                continue
            }
            guard isFolder.boolValue else {
                inputs.append(readFile(path))
                continue
            }
            // Enumerate the folder itself even when `path` is a symbolic link to it.
            let folder = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            let found = (files.enumerator(atPath: folder)?.compactMap { $0 as? String } ?? [])
                .filter { $0.lowercased().hasSuffix(".json") || $0.lowercased().hasSuffix(".ndjson") }
                .sorted()
                .map { (path as NSString).appendingPathComponent($0) }
                .filter { file in
                    var isDirectory: ObjCBool = false
                    return files.fileExists(atPath: file, isDirectory: &isDirectory) && !isDirectory.boolValue
                }
            if found.isEmpty {
                inputs.append(ClaimInput(name: path, problem: "the folder holds no .json or .ndjson files"))
            }
            inputs += found.map(readFile)
        }
        return inputs
    }

    private static func readFile(_ path: String) -> ClaimInput {
        guard let data = FileManager.default.contents(atPath: path) else {
            return ClaimInput(name: path, problem: "cannot be read")
        }
        return ClaimInput(name: path, data: data)
    }
}
