import Foundation
import PipelineTesting
import Testing

/// docs/testing.md maps every documented mode and flag to the tests that run it through
/// the real executable. This suite keeps that table honest: every flag any executable's
/// `--help` (or any subcommand's) lists, and every flag README.md names, must have a row,
/// and every test a row names must exist. A new flag without a row fails CI.
@Suite(.timeLimit(.minutes(3))) struct DocumentedModesTests {
    static let executables = ["listener", "consumer", "dashboard", "pipeline", "sentiment", "stream-sim", "bench", "fuzz"]

    /// One row of the table: `| command | mode or flag | tests | what it checks |`.
    struct Row {
        var command: String
        var mode: String
        /// `Type/function` references from the tests cell.
        var tests: [(type: String, function: String)]
        /// The tests cell as written (for messages, and for an explicit "not run in CI").
        var testsCell: String
    }

    static func table() throws -> [Row] {
        let text = try String(contentsOf: TestEnvironment.projectRoot.appendingPathComponent("docs/testing.md"),
                              encoding: .utf8)
        let reference = #/`([A-Z][A-Za-z0-9]*)/([a-zA-Z_][A-Za-z0-9_]*)`/#
        return text.split(separator: "\n").compactMap { line -> Row? in
            guard line.hasPrefix("|") else { return nil }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard cells.count >= 3, !cells[0].hasPrefix("---"), cells[0] != "command" else { return nil }
            let tests = cells[2].matches(of: reference).map { (String($0.1), String($0.2)) }
            return Row(command: cells[0].replacingOccurrences(of: "`", with: ""),
                       mode: cells[1].replacingOccurrences(of: "`", with: ""), tests: tests, testsCell: cells[2])
        }
    }

    /// `command` → its flags, for every command and subcommand reachable from `--help`.
    static func documentedFlags() async throws -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        var pending = executables.map { [$0] }
        while let path = pending.popLast() {
            let help = try await ChildProcess.run(TestEnvironment.executable(path[0]), Array(path.dropFirst()) + ["--help"])
            try #require(help.status == 0, "\(path.joined(separator: " ")) --help: \(help.stderr)")
            let (flags, subcommands) = parse(help: help.stdout)
            if subcommands.isEmpty {
                result[path.joined(separator: " ")] = flags
            } else {
                pending += subcommands.map { path + [$0] }
            }
        }
        return result
    }

    /// The flags of the OPTIONS section (`  --flag` or `  -h, --help` at two spaces: deeper
    /// lines continue a description) and the names of the SUBCOMMANDS section.
    static func parse(help: String) -> (flags: Set<String>, subcommands: [String]) {
        var flags = Set<String>(), subcommands: [String] = []
        var section = ""
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if let first = line.first, !first.isWhitespace { section = String(line); continue }
            if section == "OPTIONS:", let match = line.wholeMatch(of: #/  (?:-[a-zA-Z], )?(--[a-z0-9][a-z0-9-]*).*/#) {
                if match.1 != "--help" { flags.insert(String(match.1)) }
            } else if section == "SUBCOMMANDS:", let match = line.wholeMatch(of: #/  ([a-z][a-z0-9-]*)(?: \(default\))? .*/#) {
                subcommands.append(String(match.1))
            }
        }
        return (flags, subcommands)
    }

    /// Every `Type/function` declared under Tests/: `func name` in a file that declares or
    /// extends `Type`.
    static func declaredTests() throws -> Set<String> {
        var declared = Set<String>()
        let tests = TestEnvironment.projectRoot.appendingPathComponent("Tests")
        let files = FileManager.default.enumerator(at: tests, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            let types = text.matches(of: #/(?:struct|extension|final class|class|enum) ([A-Z][A-Za-z0-9]*)/#).map { String($0.1) }
            let functions = text.matches(of: #/func ([a-zA-Z_][A-Za-z0-9_]*)/#).map { String($0.1) }
            for type in types { for function in functions { declared.insert("\(type)/\(function)") } }
        }
        return declared
    }

    @Test func helpListsSubcommandsAndFlags() {
        let sample = """
            USAGE: x <options>

            OPTIONS:
              --keyword <keyword>     A keyword (repeatable).
              --stall-timeout <stall-timeout>
                                      Reconnect after 1...--max-chunk silence.
              --archive-gzip          Compress.
              -h, --help              Show help information.

            SUBCOMMANDS:
              run (default)           Stream.
              make-feed               Feed.
            """
        let (flags, subcommands) = Self.parse(help: sample)
        #expect(flags == ["--keyword", "--stall-timeout", "--archive-gzip"])
        #expect(subcommands == ["run", "make-feed"])
    }

    @Test func everyDocumentedFlagHasARowNamingATest() async throws {
        let rows = try Self.table()
        let flags = try await Self.documentedFlags()
        #expect(flags.count >= 19, "every executable and subcommand was read: \(flags.keys.sorted())")
        for (command, commandFlags) in flags.sorted(by: { $0.key < $1.key }) {
            for flag in commandFlags.sorted() {
                let row = rows.first { $0.command == command && $0.mode.split(separator: " ").first.map(String.init) == flag }
                #expect(row != nil, "docs/testing.md has no row for `\(command) \(flag)`")
                if let row {
                    #expect(!row.tests.isEmpty || row.testsCell.hasPrefix("not run in CI:"),
                            "`\(command) \(flag)` names no test")
                }
            }
        }
        // Every command and subcommand has its own row too (the mode with no flag).
        for command in flags.keys {
            #expect(rows.contains { $0.command == command }, "no row for `\(command)`")
        }
    }

    @Test func everyFlagTheREADMENamesHasARow() throws {
        let rows = try Self.table()
        let readme = try String(contentsOf: TestEnvironment.projectRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let named = Set(readme.matches(of: #/(?:^|[^\w-])(--[a-z][a-z0-9-]*)/#).map { String($0.1) })
        #expect(named.count > 20, "\(named)")
        // Flags of other tools the README shows: swift build, the test server script.
        let otherTools: Set = ["--help", "--product", "--sync-on-commit"]
        for flag in named.subtracting(otherTools).sorted() {
            #expect(rows.contains { $0.mode.split(separator: " ").first.map(String.init) == flag },
                    "README.md names \(flag), docs/testing.md has no row for it")
        }
        for mode in ["MONGODB_URI", "DASHBOARD_TOKEN", "X_BEARER_TOKEN", "scripts/demo", "scripts/test"] {
            #expect(rows.contains { $0.mode.contains(mode) || $0.command.contains(mode) }, "no row for \(mode)")
        }
    }

    @Test func everyTestARowNamesExists() throws {
        let declared = try Self.declaredTests()
        let rows = try Self.table()
        #expect(rows.count > 100, "the table was read")
        for row in rows {
            for test in row.tests {
                #expect(declared.contains("\(test.type)/\(test.function)"),
                        "docs/testing.md row `\(row.command) \(row.mode)` names \(test.type)/\(test.function), which does not exist")
            }
        }
    }
}
