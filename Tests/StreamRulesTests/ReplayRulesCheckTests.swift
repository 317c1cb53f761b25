import Wiring
import Foundation
import Testing

/// A replay's rules are checked before anything is read: they must parse, and a replay
/// without rules of its own needs posts that carry `matching_rules`.
@Suite struct ReplayRulesCheckTests {
    func check(_ arguments: [String]) throws {
        try SourceOptions.parse(arguments).check()
    }

    func file(_ line: String) throws -> String {
        let url = try TweetCorpus.temporaryFile("replay.jsonl")
        try Data(line.utf8).write(to: url)
        return url.path
    }

    @Test func aReplayWithoutRulesOfPostsWithoutRulesIsRefused() throws {
        let bare = try file(#"{"id":"1","text":"no rules"}"#)
        #expect {
            try check(["--replay", bare])
        } throws: { error in
            let line = (error as? CommandFailure)?.description ?? ""
            return line.contains("without matching_rules") && line.contains("--keyword")
        }
        try check(["--replay", bare, "--keyword", "rules"])
        let archived = try file(#"{"data":{"id":"1","text":"x"},"matching_rules":[{"id":"9","tag":"cats"}]}"#)
        try check(["--replay", archived])
    }

    @Test func aRuleThatDoesNotParseIsOneLine() throws {
        let archived = try file(#"{"data":{"id":"1","text":"x"},"matching_rules":[{"id":"9","tag":"cats"}]}"#)
        #expect {
            try check(["--replay", archived, "--rule", "bitcoin OR", "--tag", "crypto"])
        } throws: { error in
            let line = (error as? CommandFailure)?.description ?? ""
            return line.contains("bitcoin OR") && line.contains("crypto") && !line.contains("\n")
        }
        #expect(throws: (any Error).self) { try check(["--replay", archived, "--keyword", "bad\u{1}name"]) }
        try check(["--replay", archived, "--rule", "bitcoin OR btc", "--tag", "crypto", "--lang", "en"])
    }
}
