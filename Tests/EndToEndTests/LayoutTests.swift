import Foundation
import PipelineTesting
import Testing

/// The layout `docs/architecture.md` draws, checked against `Package.swift` and the
/// sources: a file's path says what it may import. SwiftPM finds a module that is built
/// anyway even when its target does not declare it (an incremental build then passes and
/// a clean one fails), so the imports are checked here too.
@Suite struct LayoutTests {
    /// Targets of ours, their declared dependencies on other targets of ours, and folders.
    struct Manifest {
        var dependencies: [String: Set<String>] = [:]
        var paths: [String: String] = [:]

        /// Every target `name` depends on, directly or not.
        func closure(of name: String) -> Set<String> {
            var seen: Set<String> = []
            var pending = Array(dependencies[name] ?? [])
            while let next = pending.popLast() {
                guard seen.insert(next).inserted else { continue }
                pending += dependencies[next] ?? []
            }
            return seen
        }
    }

    /// Reads the targets of `Package.swift`: `.target(name: "X", dependencies: ["A", .product(…)], path: …)`.
    static func manifest() throws -> Manifest {
        let text = try String(contentsOf: TestEnvironment.projectRoot.appendingPathComponent("Package.swift"),
                              encoding: .utf8)
        var manifest = Manifest()
        let kinds = ["target", "executableTarget", "testTarget", "systemLibrary"]
        let starts = try Regex(#"\.(\#(kinds.joined(separator: "|")))\(name: "(\w+)""#)
        let matches = text.matches(of: starts)
        for (index, match) in matches.enumerated() {
            let name = String(match.output[2].substring!)
            let end = index + 1 < matches.count ? matches[index + 1].range.lowerBound : text.endIndex
            let body = text[match.range.upperBound..<end]
            var names: Set<String> = []
            if let list = body.range(of: "dependencies: ["),
               let end = body[list.upperBound...].firstIndex(of: "]") {
                // Entries are "Target" (ours) or .product(name: "…", package: "…") (a package's).
                let targets = body[list.upperBound..<end].replacing(#/\.product\([^)]*\)/#, with: "")
                names = Set(targets.matches(of: #/"(\w+)"/#).map { String($0.output.1) })
            }
            manifest.dependencies[name] = names
            let kind = String(match.output[1].substring!)
            if let path = body.firstMatch(of: #/path: "([^"]+)"/#) {
                manifest.paths[name] = String(path.output.1)
            } else {
                manifest.paths[name] = (kind == "testTarget" ? "Tests/" : "Sources/") + name
            }
        }
        return manifest
    }

    /// The modules of ours each Swift file of `target` imports.
    static func imports(of target: String, in manifest: Manifest) throws -> [(file: String, module: String)] {
        let root = TestEnvironment.projectRoot.appendingPathComponent(manifest.paths[target] ?? "Sources/\(target)")
        guard let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var result: [(String, String)] = []
        for case let url as URL in files where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            for line in text.split(separator: "\n") {
                guard let match = line.wholeMatch(of: #/(?:@testable )?import (\w+)/#) else { continue }
                let module = String(match.output.1)
                if manifest.dependencies[module] != nil {
                    result.append((url.path.replacingOccurrences(of: TestEnvironment.projectRoot.path + "/", with: ""),
                                   module))
                }
            }
        }
        return result
    }

    @Test func everyImportIsADeclaredDependency() throws {
        let manifest = try Self.manifest()
        #expect(manifest.dependencies.count > 20, "Package.swift was not read: \(manifest.dependencies.keys)")
        var undeclared: [String] = []
        for target in manifest.dependencies.keys.sorted() {
            let allowed = manifest.closure(of: target)
            for (file, module) in try Self.imports(of: target, in: manifest)
            where module != target && !allowed.contains(module) {
                undeclared.append("\(file) imports \(module), which \(target) does not depend on")
            }
        }
        #expect(undeclared.isEmpty, "\(undeclared.joined(separator: "\n"))")
    }

    @Test func stagesDependOnlyOnWhatTheArchitectureAllows() throws {
        let manifest = try Self.manifest()
        // What each library target must never reach, directly or not.
        let forbidden: [String: Set<String>] = [
            "PipelineModel": Set(manifest.dependencies.keys),
            "StreamRules": Set(manifest.dependencies.keys),
            // Detectors are pure: arithmetic on buckets, nothing that does I/O.
            "Alerting": Set(manifest.dependencies.keys).subtracting(["PipelineModel"]),
            "Alerts": ["Sentiment", "NDArray", "MongoStorage", "MongoKit", "Consumer", "Dashboard", "Wiring"],
            "Sentiment": ["Storage", "MongoStorage", "MongoKit", "Listener", "Consumer", "Dashboard", "Wiring"],
            "Storage": ["Sentiment", "MongoStorage", "MongoKit", "Listener", "Consumer", "Dashboard", "Wiring"],
            "MongoStorage": ["Sentiment", "Listener", "Consumer", "Dashboard", "Wiring"],
            "Listener": ["Sentiment", "NDArray", "Storage", "MongoStorage", "MongoKit", "Consumer", "Dashboard", "Wiring"],
            "Consumer": ["MongoStorage", "MongoKit", "Listener", "Dashboard", "Wiring"],
            "Dashboard": ["Sentiment", "NDArray", "MongoStorage", "MongoKit", "Listener", "Consumer", "Wiring"],
            "Wiring": ["Consumer", "Dashboard", "Sentiment", "PipelineTesting", "Fuzzing"],
        ]
        var violations: [String] = []
        for (target, banned) in forbidden.sorted(by: { $0.key < $1.key }) {
            let reached = manifest.closure(of: target).intersection(banned.subtracting([target]))
            if !reached.isEmpty { violations.append("\(target) reaches \(reached.sorted())") }
        }
        // Test and bench tooling ships in no service.
        for service in ["ListenerCLI", "ConsumerCLI", "DashboardCLI", "PipelineCLI", "SentimentCLI", "StreamSimCLI"] {
            let reached = manifest.closure(of: service).intersection(["PipelineTesting", "Fuzzing"])
            if !reached.isEmpty { violations.append("\(service) ships \(reached.sorted())") }
        }
        #expect(violations.isEmpty, "\(violations.joined(separator: "\n"))")
    }
}
