import Foundation
import Testing
import StreamSim

/// `/2/tweets/search/stream/rules` and the stream's 401/409 over loopback.
struct RulesEndpointTests {
    @Test func rulesRoundTripWithDryRunAndDelete() async throws {
        try await RunningSimulator.with(texts: ["coffee"], rules: []) { sim in
            let empty = try #require(try await sim.get("/2/tweets/search/stream/rules").json)
            #expect(empty["data"] == nil)
            #expect((empty["meta"] as? [String: Any])?["result_count"] as? Int == 0)
            #expect((empty["meta"] as? [String: Any])?["sent"] is String)

            let dry = try #require(try await sim.postRules(#"{"add":[{"value":"coffee lang:en","tag":"c"}]}"#,
                                                           query: "dry_run=true").json)
            let drySummary = (dry["meta"] as? [String: Any])?["summary"] as? [String: Int]
            #expect(drySummary == ["created": 1, "not_created": 0, "valid": 1, "invalid": 0])
            #expect((try await sim.get("/2/tweets/search/stream/rules").json?["meta"] as? [String: Any])?["result_count"] as? Int == 0)

            let added = try #require(try await sim.postRules(#"{"add":[{"value":"coffee lang:en","tag":"c"},{"value":"tea"}]}"#).json)
            let created = try #require(added["data"] as? [[String: Any]])
            #expect(created.map { $0["value"] as? String } == ["coffee lang:en", "tea"])
            let ids = created.compactMap { $0["id"] as? String }
            #expect(ids.count == 2)

            let listed = try #require(try await sim.get("/2/tweets/search/stream/rules").json)
            #expect((listed["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ids)
            let one = try #require(try await sim.get("/2/tweets/search/stream/rules?ids=\(ids[1])").json)
            #expect((one["data"] as? [[String: Any]])?.first?["value"] as? String == "tea")

            let duplicate = try #require(try await sim.postRules(#"{"add":[{"value":"tea"}]}"#).json)
            #expect((duplicate["errors"] as? [[String: Any]])?.first?["title"] as? String == "DuplicateRule")

            let deleted = try #require(try await sim.postRules(#"{"delete":{"ids":["\#(ids[0])","404"]}}"#).json)
            #expect((deleted["meta"] as? [String: Any])?["summary"] as? [String: Int] == ["deleted": 1, "not_deleted": 1])
            #expect(await sim.feed.stats().rules.map(\.value) == ["tea"])
        }
    }

    @Test func invalidAndOverlongRulesAreReportedNotCreated() async throws {
        try await RunningSimulator.with(texts: ["coffee"], rules: []) { sim in
            let long = String(repeating: "a", count: 1025)
            let result = try await sim.postRules(#"{"add":[{"value":"(coffee"},{"value":"\#(long)"},{"value":"fine"}]}"#)
            #expect(result.status == 200)
            let json = try #require(result.json)
            #expect((json["meta"] as? [String: Any])?["summary"] as? [String: Int]
                == ["created": 0, "not_created": 3, "valid": 1, "invalid": 2])
            let errors = try #require(json["errors"] as? [[String: Any]])
            #expect(errors.map { $0["title"] as? String } == ["UnprocessableEntity", "UnprocessableEntity"])
            #expect(errors.allSatisfy { ($0["details"] as? [String])?.isEmpty == false })
            #expect(json["data"] == nil)

            #expect(try await sim.postRules(#"{"nonsense":1}"#).status == 400)
            #expect(try await sim.postRules("not json").status == 400)
        }
    }

    @Test func wrongTokenIs401WithProblemBody() async throws {
        try await RunningSimulator.with(texts: ["coffee"], configure: { $0.bearerToken = "right" }) { sim in
            for result in [try await sim.get("/2/tweets/search/stream/rules", token: "wrong"),
                           try await sim.postRules(#"{"add":[{"value":"x"}]}"#, token: "wrong"),
                           try await sim.get("/2/tweets/search/stream", token: "wrong")] {
                #expect(result.status == 401)
                #expect(result.json?["title"] as? String == "Unauthorized")
                #expect(result.json?["status"] as? Int == 401)
            }
            let none = try await Curl.run(["\(sim.baseURL)/2/tweets/search/stream"])
            #expect(none.status == 401)
            let stats = await sim.feed.stats()
            #expect(stats.streamConnections == 2)
            #expect(stats.streamStatusCodes == ["401": 2])
            #expect(stats.rules.count == 1)
        }
    }

    @Test func streamWithoutRulesIs409() async throws {
        try await RunningSimulator.with(texts: ["coffee"], rules: []) { sim in
            let result = try await sim.stream()
            #expect(result.status == 409)
            #expect(result.json?["connection_issue"] as? String == "RuleConfigurationIssue")
        }
    }
}
