import Foundation
import Testing
@testable import Listener

/// StreamConnection through libcurl against a real HTTP server on loopback.
@Suite(.serialized, .timeLimit(.minutes(5))) struct StreamConnectionTests {
    let token = BearerToken("test-token")!

    struct Outcome {
        var head: HTTPResponseHead?
        var bytes: [UInt8] = []
        var ended: DisconnectCause??
        var errorBody = ""
    }

    func collect(_ connection: StreamConnection, cancelAfterHead: Bool = false) async -> Outcome {
        var outcome = Outcome()
        for await event in connection.events {
            switch event {
            case .head(let head):
                outcome.head = head
                if cancelAfterHead { connection.cancel() }
            case .bytes(let bytes): outcome.bytes += bytes
            case .ended(let cause, let body):
                outcome.ended = .some(cause)
                outcome.errorBody = body
            }
        }
        return outcome
    }

    func connect(_ server: TestStreamServer, token: BearerToken? = nil, stall: Duration = .seconds(20)) -> StreamConnection {
        StreamConnection(configuration: .init(url: server.base + "/2/tweets/search/stream", token: token ?? self.token,
                                              stallTimeout: stall))
    }

    static let messages = [
        #"{"data":{"id":"1","text":"café ☕"},"matching_rules":[{"id":"5","tag":"t"}]}"#,
        #"{"data":{"id":"2","text":"😀👍🏽 漢字"},"matching_rules":[{"id":"5"}]}"#,
        #"{"data":{"id":"3","text":"plain"}}"#,
    ]

    @Test(arguments: [false, true])
    func chunkedBodyArrivesWholeWhateverTheSplits(gzip: Bool) async throws {
        let body = Self.messages.joined(separator: "\r\n\r\n") + "\r\n"
        let server = try TestStreamServer(scenario: ["connections": [["chunks": [body], "split_bytes": 3, "gzip": gzip]]])
        let outcome = await collect(connect(server))
        #expect(outcome.head?.status == 200)
        #expect(outcome.ended == .some(.streamEnded))
        #expect(String(decoding: outcome.bytes, as: UTF8.self) == body)
        var framer = LineFramer()
        let ids = framer.append(outcome.bytes).compactMap { frame -> String? in
            guard case .line(let line) = frame, case .post(let post) = try? StreamMessage.decode(line) else { return nil }
            return post.id
        }
        #expect(ids == ["1", "2", "3"])
        let requests = try await server.requests(path: "/2/tweets/search/stream")
        #expect((requests.first?["user_agent"] as? String)?.hasPrefix("sentiment-pipeline-listener/") == true)
    }

    @Test func rateLimitCarriesTheResetHeader() async throws {
        let server = try TestStreamServer(scenario: ["connections": [[
            "status": 429, "headers": ["x-rate-limit-reset": "2000000000"],
            "body": ["title": "ConnectionException", "connection_issue": "TooManyConnections"],
        ]]])
        let outcome = await collect(connect(server))
        #expect(outcome.ended == .some(.http(status: 429, rateLimitReset: Date(timeIntervalSince1970: 2_000_000_000))))
        #expect(outcome.errorBody.contains("TooManyConnections"))
        #expect(outcome.bytes.isEmpty, "an error body is not stream data")
    }

    @Test func serverErrorAndBadTokenAreHTTPCauses() async throws {
        let server = try TestStreamServer(scenario: ["connections": [["status": 503]]])
        #expect(await collect(connect(server)).ended == .some(.http(status: 503, rateLimitReset: nil)))
        let unauthorized = await collect(connect(server, token: BearerToken("wrong")))
        #expect(unauthorized.ended == .some(.http(status: 401, rateLimitReset: nil)))
        #expect(!unauthorized.errorBody.contains("wrong"))
    }

    @Test func silenceBeyondTheStallTimeoutEndsAsStalled() async throws {
        let server = try TestStreamServer(scenario: ["connections": [["chunks": ["\r\n"], "stall": 30]]])
        let outcome = await collect(connect(server, stall: .milliseconds(600)))
        #expect(outcome.head?.status == 200)
        #expect(outcome.bytes == [13, 10], "the heartbeat arrived before the silence")
        #expect(outcome.ended == .some(.stalled))
    }

    @Test func heartbeatsKeepAQuietStreamAlive() async throws {
        // The server sends only heartbeats (every 0.2 s) for as long as we listen; with a
        // 1 s stall timeout the connection must survive until we cancel it ourselves.
        let server = try TestStreamServer(scenario: ["connections": [["end": "hold"]]])
        let connection = connect(server, stall: .seconds(1))
        var heartbeats = 0
        var ended: DisconnectCause??
        for await event in connection.events {
            if case .bytes(let bytes) = event {
                heartbeats += bytes.count / 2
                if heartbeats >= 8 { connection.cancel() }  // ~1.6 s of heartbeats
            }
            if case .ended(let cause, _) = event { ended = .some(cause) }
        }
        #expect(heartbeats >= 8)
        #expect(ended == .some(nil), "ended by our cancel, not by a stall")
    }

    @Test func cancelStopsAQuietStream() async throws {
        let server = try TestStreamServer(scenario: ["connections": [["stall": 30]]])
        let outcome = await collect(connect(server), cancelAfterHead: true)
        #expect(outcome.ended == .some(nil))
    }

    @Test func connectionCutMidMessageIsANetworkError() async throws {
        let server = try TestStreamServer(scenario: ["connections": [[
            "chunks": [Self.messages[0] + "\r\n" + #"{"data":{"id":"#], "end": "abort",
        ]]])
        let outcome = await collect(connect(server))
        guard case .some(.some(.network)) = outcome.ended else {
            Issue.record("expected a network error, got \(String(describing: outcome.ended))")
            return
        }
        var framer = LineFramer()
        #expect(framer.append(outcome.bytes).count == 1)
        #expect(framer.finish() != nil, "the cut message is left over for the malformed count")
    }

    /// A body far larger than the bound, in 64 KiB chunks.
    static let largeBody = (0..<64).map { index in
        String(repeating: "\(index % 10)", count: 64 * 1024 - 2) + "\r\n"
    }

    /// Polls (no timing assertion) until `condition` holds.
    func wait(until condition: () -> Bool) async throws {
        while !condition() { try await Task.sleep(for: .milliseconds(1)) }
    }

    @Test func outstandingBytesStayBoundedWhenTheReaderIsSlow() async throws {
        // The reader takes each event only once the transfer has filled the bound (or is
        // over): without backpressure the transfer would run ahead to the whole 4 MiB.
        let limit = 256 * 1024
        let server = try TestStreamServer(scenario: ["connections": [["chunks": Self.largeBody]]])
        let connection = StreamConnection(configuration: .init(
            url: server.base + "/2/tweets/search/stream", token: token, maximumOutstandingBytes: limit))
        var received = 0
        var ended: DisconnectCause??
        for await event in connection.events {
            switch event {
            case .bytes(let bytes):
                try await wait { connection.outstandingBytes > limit || connection.isFinished }
                received += bytes.count
                connection.consumed(bytes.count)
            case .ended(let cause, _): ended = .some(cause)
            case .head: break
            }
        }
        let total = Self.largeBody.reduce(0) { $0 + $1.utf8.count }
        #expect(ended == .some(.streamEnded))
        #expect(received == total, "nothing lost to the pauses")
        #expect(connection.peakOutstandingBytes > limit, "the reader really was behind")
        // libcurl hands over at most CURL_MAX_WRITE_SIZE (16 KiB) per call beyond the bound.
        #expect(connection.peakOutstandingBytes <= limit + 16 * 1024)
        #expect(connection.outstandingBytes == 0)
    }

    @Test func cancelWakesATransferBlockedOnAFullBuffer() async throws {
        let limit = 64 * 1024
        let server = try TestStreamServer(scenario: ["connections": [["chunks": Self.largeBody]]])
        let connection = StreamConnection(configuration: .init(
            url: server.base + "/2/tweets/search/stream", token: token, maximumOutstandingBytes: limit))
        // Never consume: the transfer blocks once past the bound; cancel must still end it.
        try await wait { connection.outstandingBytes > limit }
        connection.cancel()
        let outcome = await collect(connection)
        #expect(outcome.ended == .some(nil))
        #expect(outcome.bytes.count < Self.largeBody.reduce(0) { $0 + $1.utf8.count })
    }

    @Test func aBlockedReaderIsNotAStall() async throws {
        // Blocked by us for longer than the stall timeout: the server was not silent, so
        // the transfer must resume and end normally, not as `.stalled`.
        let limit = 64 * 1024
        let server = try TestStreamServer(scenario: ["connections": [["chunks": Self.largeBody]]])
        let connection = StreamConnection(configuration: .init(
            url: server.base + "/2/tweets/search/stream", token: token, stallTimeout: .milliseconds(300),
            maximumOutstandingBytes: limit))
        try await wait { connection.outstandingBytes > limit }
        try await Task.sleep(for: .seconds(1))
        var received = 0
        var ended: DisconnectCause??
        for await event in connection.events {
            if case .bytes(let bytes) = event { received += bytes.count; connection.consumed(bytes.count) }
            if case .ended(let cause, _) = event { ended = .some(cause) }
        }
        #expect(ended == .some(.streamEnded))
        #expect(received == Self.largeBody.reduce(0) { $0 + $1.utf8.count })
    }

    @Test func refusedConnectionIsANetworkError() async throws {
        // Port 1 on loopback: nothing listens there.
        let connection = StreamConnection(configuration: .init(url: "http://127.0.0.1:1/2/tweets/search/stream", token: token))
        guard case .some(.some(.network)) = await collect(connection).ended else {
            Issue.record("expected a network error")
            return
        }
    }
}

@Suite(.serialized, .timeLimit(.minutes(5))) struct RulesClientTests {
    let namespace = RuleNamespace(prefix: "ns")

    func client(_ server: TestStreamServer, token: String = "test-token") -> RulesClient {
        RulesClient(apiBase: server.base, http: HTTPClient(token: BearerToken(token)!), namespace: namespace,
                    logger: .init(label: "test"))
    }

    @Test func syncDeletesStaleOwnedRulesAddsMissingAndValidatesFirst() async throws {
        let server = try TestStreamServer(scenario: ["rules": [
            ["id": "1", "value": "cats", "tag": "ns:cats"],
            ["id": "2", "value": "dogs", "tag": "ns:dogs"],
            ["id": "3", "value": "birds", "tag": "someone-else"],
            ["id": "4", "value": "fish"],
        ]])
        let rules = client(server)
        let book = try await rules.sync(desired: [DesiredRule(value: "cats", keyword: "cats"),
                                                  DesiredRule(value: "\"sea otters\"", keyword: "sea otters")])
        let after = try await rules.list()
        #expect(Set(after.map(\.value)) == ["cats", "birds", "fish", "\"sea otters\""])
        #expect(after.first { $0.value == "\"sea otters\"" }?.tag == "ns:sea otters")
        let added = try #require(after.first { $0.value == "\"sea otters\"" })
        #expect(book.keywords(for: [MatchingRule(id: added.id)]).keywords == ["sea otters"])
        #expect(book.keywords(for: [MatchingRule(id: "1")]).keywords == ["cats"])
        #expect(book.resolve(text: "Sea otters!", lang: nil, authorUsername: nil, matchingRules: []).keywords == ["sea otters"],
                "a post without matching_rules is placed by the synced rules themselves")

        let posts = try await server.requests(path: "/2/tweets/search/stream/rules").filter { $0["method"] as? String == "POST" }
        let dryRuns = posts.map { (($0["query"] as? [String: [String]])?["dry_run"]) == ["true"] }
        #expect(dryRuns == [true, false, false], "validate, then delete, then add")

        // A second sync with the same wishes changes nothing.
        _ = try await rules.sync(desired: [DesiredRule(value: "cats", keyword: "cats"),
                                           DesiredRule(value: "\"sea otters\"", keyword: "sea otters")])
        let postsAfter = try await server.requests(path: "/2/tweets/search/stream/rules").filter { $0["method"] as? String == "POST" }
        #expect(postsAfter.count == 3)
    }

    @Test func rejectedRuleIsNamedAndNothingChanges() async throws {
        let server = try TestStreamServer(scenario: ["rules": [["id": "2", "value": "dogs", "tag": "ns:dogs"]]])
        let rules = client(server)
        let tooLong = String(repeating: "x", count: 1100)
        await #expect {
            _ = try await rules.sync(desired: [DesiredRule(value: tooLong, keyword: "long")])
        } throws: { error in
            "\(error)".contains("xxxx") && "\(error)".contains("rejected")
        }
        #expect(try await rules.list().map(\.id) == ["2"], "the dry run failed, so the stale rule was not deleted either")
    }

    @Test func badTokenIsFatalAndNamesTheStatus() async throws {
        let server = try TestStreamServer(scenario: [:])
        await #expect {
            _ = try await client(server, token: "nope").list()
        } throws: { error in
            (error as? ListenerError)?.description.contains("401") == true && !"\(error)".contains("nope")
        }
    }
}
