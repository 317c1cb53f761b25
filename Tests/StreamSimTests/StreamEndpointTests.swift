import Foundation
import Testing
import StreamSim

/// The stream endpoint over real loopback connections with curl: framing, matching,
/// heartbeats, resumption and backfill.
struct StreamEndpointTests {
    @Test func framesOneMessagePerMatchingPostWithAllMatchingRules() async throws {
        let texts = ["a coffee", "b tea", "c coffee and tea", "d water"]
        try await RunningSimulator.with(texts: texts, rules: []) { sim in
            _ = try await sim.postRules(#"{"add":[{"value":"coffee","tag":"beans"},{"value":"tea"}]}"#)
            let result = try await sim.stream(query: "tweet.fields=created_at,lang&expansions=author_id")
            #expect(result.exitCode == 0)
            #expect(result.status == 200)
            #expect(result.header("content-type")?.hasPrefix("application/json") == true)
            #expect(result.lines.rest.isEmpty)
            #expect(result.postIDs == ["1", "2", "3"])
            let rules = result.messages.map { $0["matching_rules"] as? [[String: Any]] ?? [] }
            #expect(rules[0].map { $0["tag"] as? String } == ["beans"])
            #expect(rules[1].count == 1 && rules[1][0]["tag"] == nil && rules[1][0]["id"] is String)
            #expect(rules[2].count == 2)
            let stats = await sim.feed.stats()
            #expect(stats.connections.first?.query == "tweet.fields=created_at,lang&expansions=author_id")
            #expect(stats.postsSent == 3)
        }
    }

    @Test func idleStreamSendsBareHeartbeats() async throws {
        try await RunningSimulator.with(texts: ["nothing here"], configure: {
            $0.heartbeatInterval = .milliseconds(10)
            $0.endStreamWhenExhausted = false
        }) { sim in
            // The stream never ends by itself; curl gives up after 4 s, hundreds of
            // keep-alive intervals, so even a heavily loaded machine sees several.
            let result = try await sim.stream(["--max-time", "4"])
            #expect(result.exitCode == 28)
            #expect(result.status == 200)
            #expect(result.lines.complete.count >= 2)
            let onlyHeartbeats = result.lines.complete.allSatisfy { $0.isEmpty }
            #expect(onlyHeartbeats)
            #expect(await sim.feed.stats().heartbeatsSent >= 2)
        }
    }

    @Test func paceLimitedStreamInterleavesHeartbeats() async throws {
        try await RunningSimulator.with(texts: ["coffee 1", "coffee 2", "coffee 3"], configure: {
            // Gaps of 250 ms between posts, keep-alives after 10 ms of silence: a wide
            // margin, since a post that falls due first makes a keep-alive unnecessary.
            $0.pacing = .postsPerSecond(4)
            $0.heartbeatInterval = .milliseconds(10)
        }) { sim in
            let result = try await sim.stream()
            #expect(result.exitCode == 0)
            #expect(result.postIDs == ["1", "2", "3"])
            #expect(result.lines.complete.contains(""))
        }
    }

    @Test func nextConnectionResumesAndBackfillResends() async throws {
        let texts = (1...5).map { "coffee \($0)" }
        try await RunningSimulator.with(texts: texts) { sim in
            let first = try await sim.stream()
            let resumed = try await sim.stream()
            let backfilled = try await sim.stream(query: "backfill_minutes=2")
            let outOfRange = try await sim.stream(query: "backfill_minutes=9")
            #expect(first.postIDs == ["1", "2", "3", "4", "5"])
            #expect(resumed.postIDs == [])
            #expect(backfilled.postIDs == ["1", "2", "3", "4", "5"])
            #expect(outOfRange.status == 400)
            let stats = await sim.feed.stats()
            #expect(stats.postsSent == 10)
            #expect(stats.distinctPostsSent == 5)
            #expect(stats.feedExhausted)
            #expect(stats.connections.map(\.backfillMinutes) == [0, 0, 2, 0])
        }
    }

    @Test func loopGivesLaterPassesFreshIDs() async throws {
        try await RunningSimulator.with(texts: ["coffee a", "coffee b", "tea c"], configure: {
            $0.loop = .freshIDs
            $0.faults = [StreamFault(.operationalDisconnect(afterPosts: 5))]
        }) { sim in
            let result = try await sim.stream()
            #expect(result.postIDs == ["1", "2", "10001", "20001", "10002"])
        }
    }

    @Test func statsEndpointReportsTheConnectionLog() async throws {
        try await RunningSimulator.with(texts: ["coffee"]) { sim in
            _ = try await sim.stream()
            let stats = try await sim.get("/sim/stats")
            let json = try #require(stats.json)
            #expect(json["stream_connections"] as? Int == 1)
            #expect(json["stream_status_codes"] as? [String: Int] == ["200": 1])
            #expect(json["posts_sent"] as? Int == 1)
            let connections = try #require(json["connections"] as? [[String: Any]])
            #expect(connections.first?["ended"] as? String == "feed-exhausted")
            #expect((json["rules"] as? [[String: Any]])?.first?["value"] as? String == "coffee")
        }
    }
}
