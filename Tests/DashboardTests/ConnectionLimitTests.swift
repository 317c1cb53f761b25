@testable import Dashboard
import Foundation
@testable import HTTPServing
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOEmbedded
import Wiring
import PipelineTesting
import Prometheus
import Testing

/// Issue 14 rows 2 and 9: connection floods against the HTTP servers, and test endpoints
/// where they could write into a real store.
@Suite(.serialized) struct ConnectionLimitTests {
    /// The dashboard executable under the file-descriptor limit systemd gives a service
    /// (1024), with 1,100 idle and 300 half-sent connections: `/healthz` still answers, the
    /// half-sent ones are closed by the header timeout, and every idle one is closed.
    @Test(.timeLimit(.minutes(3)))
    func floodsOfIdleAndHalfSentConnectionsLeaveHealthzAnswerable() async throws {
        // This process holds the client ends (1,400+); the server's limit is the child's.
        #expect(RawTCPConnection.raiseOpenFileLimit() >= 2_000, "the test needs 2,000 file descriptors")
        let dashboard = try ChildProcess(URL(fileURLWithPath: "/bin/sh"), [
            "-c", #"ulimit -n 1024 && exec "$0" "$@""#, TestEnvironment.executable("dashboard").path,
            "--in-memory", "--port", "0", "--idle-timeout", "4s", "--header-timeout", "2s", "--log-level", "error",
        ])
        defer { dashboard.terminate(signal: SIGKILL) }
        let line = try #require(await dashboard.waitForLine(containing: "dashboard at"))
        let port = try #require(line.split(separator: ":").last.flatMap { Int($0.dropLast()) })

        var idle: [RawTCPConnection] = []
        for _ in 0..<1_100 { idle.append(try RawTCPConnection(port: port)) }
        var halfSent: [RawTCPConnection] = []
        for _ in 0..<300 {
            let connection = try RawTCPConnection(port: port)
            try connection.send("GET /api/keywords HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            halfSent.append(connection)
        }

        let health = try await LoopbackHTTP.request(.get, port: port, path: "/healthz", timeout: .seconds(30))
        #expect(health.status == 200)
        #expect(await eventually(within: .seconds(60)) { halfSent.allSatisfy { $0.isClosedByPeer } },
                "half-sent heads are closed by the header timeout")
        #expect(await eventually(within: .seconds(60)) { idle.allSatisfy { $0.isClosedByPeer } },
                "idle connections are closed (to make room, or by the idle timeout)")

        // Alone, with no one needing its slot, an idle connection meets the idle timeout.
        let lone = try RawTCPConnection(port: port)
        #expect(await eventually(within: .seconds(60)) { lone.isClosedByPeer })
        #expect(lone.received.isEmpty)
        #expect(dashboard.isRunning)
    }

    /// Past the cap with every connection busy (SSE streams), a newcomer gets a 503 at once;
    /// the streams themselves outlive the idle timeout: they are requests in progress.
    @Test(.timeLimit(.minutes(1)))
    func streamsOutliveTheIdleTimeoutAndAFullServerAnswers503() async throws {
        var configuration = Fixtures.configuration()
        configuration.heartbeatInterval = .milliseconds(200)
        configuration.connectionLimits = ConnectionLimits(idleTimeout: .milliseconds(500), headerTimeout: .seconds(5),
                                                          maxConnections: 2)
        let app = try Fixtures.app(store: try await Fixtures.store(), configuration: configuration)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            var streams: [RawTCPConnection] = []
            for _ in 0..<2 {
                let stream = try RawTCPConnection(port: port)
                try stream.send("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                // Busy from its response on: only then may the next newcomer need its place.
                #expect(await eventually(within: .seconds(20)) {
                    _ = stream.isClosedByPeer
                    return String(decoding: stream.received, as: UTF8.self).hasPrefix("HTTP/1.1 200 OK\r\n")
                })
                streams.append(stream)
            }
            // Ten heartbeats take four idle timeouts.
            let heartbeats = await eventually(within: .seconds(30)) {
                streams.allSatisfy { stream in
                    _ = stream.isClosedByPeer
                    return String(decoding: stream.received, as: UTF8.self).components(separatedBy: ": keep-alive\n\n").count > 10
                }
            }
            #expect(heartbeats)
            #expect(!streams.contains { $0.isClosedByPeer }, "SSE streams are not idle")

            let refused = try RawTCPConnection(port: port)
            #expect(await eventually(within: .seconds(10)) { refused.isClosedByPeer })
            #expect(String(decoding: refused.received, as: UTF8.self).hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"))
        }
    }

    /// The metrics endpoint keeps answering probes while idle connections fill its cap.
    @Test(.timeLimit(.minutes(1)))
    func metricsEndpointMakesRoomForAProbe() async throws {
        let app = MetricsEndpoint.application(
            registry: PrometheusCollectorRegistry(), host: "127.0.0.1", port: 0, serverName: "test",
            logger: Logger(label: "test"),
            limits: ConnectionLimits(idleTimeout: .seconds(30), headerTimeout: .milliseconds(500), maxConnections: 8))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let idle = try (0..<20).map { _ in try RawTCPConnection(port: port) }
            let slow = try RawTCPConnection(port: port)
            try slow.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            // `connect` returns once the kernel has the connection, not once the server has
            // taken it: the probe below must come after a flood the server has seen. 21
            // connections through 8 places: 13 silent ones made room (the slow one has spoken).
            #expect(await eventually(within: .seconds(20)) { idle.filter { $0.isClosedByPeer }.count >= 13 })
            let health = try await LoopbackHTTP.request(.get, port: port, path: "/healthz", timeout: .seconds(20))
            #expect(health.status == 200)
            #expect(await eventually(within: .seconds(20)) { slow.isClosedByPeer }, "header timeout")
            // The probe took the place of one more silent connection.
            #expect(await eventually(within: .seconds(20)) { idle.filter { $0.isClosedByPeer }.count >= 14 })
        }
    }

    @Test func aConnectionWhoseHeadHasBegunKeepsItsPlaceOverSilentOnes() throws {
        let table = ConnectionTable(capacity: 2, logger: Logger(label: "test"))
        let address = try SocketAddress(ipAddress: "127.0.0.1", port: 1)
        let (speaking, silent, newcomer) = (EmbeddedChannel(), EmbeddedChannel(), EmbeddedChannel())
        for channel in [speaking, silent, newcomer] { try channel.connect(to: address).wait() }
        #expect(table.admit(speaking))
        table.markSpeaking(ObjectIdentifier(speaking))
        #expect(table.admit(silent))
        // Full: the newcomer takes the place of the silent one, though the other is older.
        #expect(table.admit(newcomer))
        #expect(speaking.isActive)
        #expect(!silent.isActive)
        #expect(newcomer.isActive)
    }

    @Test func unworkableLimitsAreRefused() {
        for limits in [ConnectionLimits(idleTimeout: .zero), ConnectionLimits(headerTimeout: .seconds(-1)),
                       ConnectionLimits(maxConnections: 0)] {
            var configuration = Fixtures.configuration()
            configuration.connectionLimits = limits
            #expect(throws: DashboardConfigurationError.self) { try configuration.validate() }
        }
    }

    // MARK: Row 9: test endpoints only in memory, only on loopback

    @Test(.timeLimit(.minutes(1)), arguments: [
        (["--in-memory", "--host", "0.0.0.0"], "refusing test endpoints on non-loopback host 0.0.0.0"),
        (["--host", "0.0.0.0"], "--enable-test-endpoints needs --in-memory"),
        (["--host", "127.0.0.1"], "--enable-test-endpoints needs --in-memory"),
    ])
    func testEndpointsAreRefusedOffLoopbackAndOnRealStores(flags: [String], message: String) async throws {
        let dashboard = try ChildProcess(TestEnvironment.executable("dashboard"),
                                         ["--enable-test-endpoints", "--port", "0"] + flags,
                                         environment: ["DASHBOARD_TOKEN": Fixtures.strongToken,
                                                       "MONGODB_URI": "mongodb://127.0.0.1:9/never"])
        // Today's bug was that it starts: then it is killed and the test fails.
        let started = await dashboard.waitForLine(containing: "dashboard at", timeout: .seconds(20))
        dashboard.terminate(signal: SIGKILL)
        #expect(started == nil, "it started: \(started ?? "")")
        let output = await dashboard.waitForExit()
        #expect(output.status == 2)
        #expect(output.stderr.hasPrefix("dashboard: error: \(message)"))
        #expect(output.stderr.split(separator: "\n").count == 1, "one line: \(output.stderr)")
    }
}
