import Foundation
import Testing
import StreamSim

/// Every injected fault, observed by curl over loopback, and that a client which simply
/// reconnects still receives every post at least once.
struct FaultInjectionTests {
    private let texts = (1...10).map { "coffee number \($0)" }
    private let allIDs = (1...10).map(String.init)

    @Test func disconnectCutsAMessageInHalfAndTheNextConnectionResends() async throws {
        try await RunningSimulator.with(texts: texts, configure: { $0.faults = [try! StreamFault.parse("disconnect@1:after=3")] }) { sim in
            let first = try await sim.stream()
            #expect(first.exitCode == 18)  // CURLE_PARTIAL_FILE: body ended without the last chunk
            #expect(first.postIDs == ["1", "2", "3"])
            #expect(!first.lines.rest.isEmpty)
            #expect((try? JSONSerialization.jsonObject(with: Data(first.lines.rest.utf8))) == nil)
            let second = try await sim.stream()
            #expect(second.exitCode == 0)
            #expect(second.postIDs == Array(allIDs.dropFirst(3)))
            let stats = await sim.feed.stats()
            #expect(stats.connections.map(\.ended) == ["fault-disconnect", "feed-exhausted"])
            #expect(stats.distinctPostsSent == 10)
        }
    }

    @Test func stallSendsNothingNotEvenHeartbeats() async throws {
        try await RunningSimulator.with(texts: texts, configure: {
            $0.faults = [try! StreamFault.parse("stall@1:after=2,seconds=60")]
            $0.heartbeatInterval = .milliseconds(20)
        }) { sim in
            // The stalled stream never ends by itself: curl gives up after 3 s.
            let first = try await sim.stream(["--max-time", "3"])
            #expect(first.exitCode == 28)
            #expect(first.postIDs == ["1", "2"])
            #expect(first.lines.complete.count == 2)
            #expect(first.lines.rest.isEmpty)
            // A reconnect supersedes the stalled connection and carries on.
            let second = try await sim.stream()
            #expect(second.postIDs == Array(allIDs.dropFirst(2)))
            #expect(await sim.feed.stats().connections[0].heartbeatsSent == 0)
        }
    }

    @Test func operationalDisconnectEndsWithTheErrorMessage() async throws {
        try await RunningSimulator.with(texts: texts, configure: {
            $0.faults = [try! StreamFault.parse("operational-disconnect@1:after=4")]
        }) { sim in
            let first = try await sim.stream()
            #expect(first.exitCode == 0)
            #expect(first.postIDs == ["1", "2", "3", "4"])
            let last = try #require(first.messages.last)
            let error = try #require((last["errors"] as? [[String: Any]])?.first)
            #expect(error["title"] as? String == "operational-disconnect")
            #expect(error["type"] as? String == "https://api.twitter.com/2/problems/operational-disconnect")
            #expect(try await sim.stream().postIDs == Array(allIDs.dropFirst(4)))
        }
    }

    @Test func refusalsCarryTheAPIsStatusHeadersAndBodies() async throws {
        try await RunningSimulator.with(texts: texts, configure: {
            $0.faults = ["429@1:reset=30", "too-many-connections@2:reset=5", "503@3", "401@4"].map { try! StreamFault.parse($0) }
        }) { sim in
            let before = Int(Date.now.timeIntervalSince1970)
            let limited = try await sim.stream()
            #expect(limited.status == 429)
            let reset = try #require(limited.header("x-rate-limit-reset").flatMap { Int($0) })
            #expect(reset >= before + 30)
            #expect(limited.header("x-rate-limit-remaining") == "0")
            #expect(limited.json?["title"] as? String == "Too Many Requests")

            let tooMany = try await sim.stream()
            #expect(tooMany.status == 429)
            #expect(tooMany.json?["connection_issue"] as? String == "TooManyConnections")
            #expect(tooMany.header("x-rate-limit-reset") != nil)

            #expect(try await sim.stream().status == 503)
            let unauthorized = try await sim.stream()
            #expect(unauthorized.status == 401)
            #expect(unauthorized.json?["title"] as? String == "Unauthorized")

            let served = try await sim.stream()
            #expect(served.status == 200)
            #expect(served.postIDs == allIDs)
            let stats = try #require(try await sim.get("/sim/stats").json)
            #expect(stats["stream_status_codes"] as? [String: Int] == ["429": 2, "503": 1, "401": 1, "200": 1])
            #expect(stats["stream_connections"] as? Int == 5)
        }
    }

    @Test func gzipStreamDecodesToTheSameMessages() async throws {
        try await RunningSimulator.with(texts: texts, configure: {
            $0.compression = .always
            $0.pacing = .postsPerSecond(1000)
        }) { sim in
            let raw = try await sim.stream()
            #expect(raw.header("content-encoding") == "gzip")
            #expect(Array(raw.body.prefix(2)) == [0x1F, 0x8B])
            let decoded = try await sim.stream(query: "backfill_minutes=1", ["--compressed"])
            #expect(decoded.exitCode == 0)
            #expect(decoded.postIDs == allIDs)
        }
    }

    @Test func gzipAutoFollowsAcceptEncoding() async throws {
        try await RunningSimulator.with(texts: texts) { sim in
            #expect(try await sim.stream().header("content-encoding") == nil)
            let compressed = try await sim.stream(query: "backfill_minutes=1", ["--compressed"])
            #expect(compressed.header("content-encoding") == "gzip")
            #expect(compressed.postIDs == allIDs)
        }
    }

    @Test func chunkSplitsCutMessagesAnywhereWithoutChangingTheBytes() async throws {
        var plainBody: [UInt8] = []
        try await RunningSimulator.with(texts: texts) { sim in
            plainBody = try await sim.stream().body
        }
        try await RunningSimulator.with(texts: texts, configure: { $0.chunkSplit = .init(seed: 42, maxBytes: 16) }) { sim in
            let split = try await sim.stream()
            #expect(split.body == plainBody)
            let raw = try await sim.stream(query: "backfill_minutes=1", ["--raw"])
            let chunks = Self.chunkSizes(raw.body)
            #expect(chunks.dropLast().allSatisfy { (1...16).contains($0) })
            #expect(chunks.reduce(0, +) == plainBody.count)
        }
    }

    @Test func splitGzipStreamStillDecodes() async throws {
        try await RunningSimulator.with(texts: texts, configure: {
            $0.compression = .always
            $0.chunkSplit = .init(seed: 7, maxBytes: 5)
            $0.faults = [try! StreamFault.parse("disconnect@1:after=6")]
        }) { sim in
            let first = try await sim.stream(["--compressed"])
            #expect(first.postIDs == Array(allIDs.prefix(6)))
            let second = try await sim.stream(["--compressed"])
            #expect(second.postIDs == Array(allIDs.dropFirst(6)))
        }
    }

    /// Sizes of the chunks of a raw chunked body (the final zero-size chunk included).
    private static func chunkSizes(_ raw: [UInt8]) -> [Int] {
        var sizes: [Int] = []
        var index = 0
        while index < raw.count {
            guard let lineEnd = raw[index...].firstIndex(of: 0x0D) else { break }
            guard let size = Int(String(decoding: raw[index..<lineEnd], as: UTF8.self), radix: 16) else { break }
            sizes.append(size)
            index = lineEnd + 2 + size + 2
        }
        return sizes
    }
}
