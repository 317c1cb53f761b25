import PipelineTesting
import ArgumentParser
import Wiring
import Dashboard
import Foundation
import Hummingbird
import Logging
import MongoKit
import MongoStorage
import PipelineModel
import Storage

/// `bench dashboard`: request latency of the pages and API over a week of minute buckets
/// for 20 keywords, and how long one change takes to reach 100 open SSE streams — on the
/// in-memory store, or with `--mongo` on a MongoDB store (change streams for the SSE run).
///
/// The server runs in this process on a loopback port; requests go over one keep-alive
/// connection from a plain socket client on its own thread, so the figures are the
/// server's (routing, store queries, roll-up, SVG and HTML) plus loopback TCP.
struct DashboardBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "p50/p99 of keyword page and API (20 keywords × 7 days of minute buckets) and SSE fan-out to 100 clients.")

    @Option(help: "Requests per endpoint (after 10 warm-up requests).")
    var requests = 200

    @Option(help: "SSE clients.")
    var clients = 100

    @Option(help: "Changes published in the fan-out run.")
    var changes = 100

    @Option(help: "Port for the in-process server (0: a free one).")
    var port = 0

    @Option(help: "MongoDB URI (a replica set): run on a MongoDB store in a scratch database instead of in memory.")
    var mongo: String?

    @Option(help: "Days of minute buckets to fill (7 matches the 7d pages; fewer fill a slow server sooner).")
    var days = 7

    func run() async throws {
        guard (1...7).contains(days) else { throw ValidationError("--days must be 1 to 7") }
        let store: any SentimentStore
        var scratch: MongoDatabase?
        if let mongo {
            let quiet = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
            let database = try MongoClient(uri: mongo, logger: quiet)
                .database("bench_dashboard_\(UUID().uuidString.prefix(8).lowercased())")
            let mongoStore = MongoSentimentStore(database: database, logger: quiet)
            try await mongoStore.prepare()
            store = mongoStore
            scratch = database
        } else {
            store = InMemorySentimentStore()
        }
        do {
            try await measure(store)
        } catch {
            try? await scratch?.drop()
            throw error
        }
        try? await scratch?.drop()
    }

    private func measure(_ store: any SentimentStore) async throws {
        var feed = DemoFeed(keywords: (1...20).map { "keyword\($0)" }, seed: 1)
        let end = Date()
        let start = end.addingTimeInterval(-Double(days) * 86_400)
        let clock = ContinuousClock()
        let fillStart = clock.now
        // One post per keyword and minute: every one of the 10,080 minute buckets of the
        // week is filled for each of the 20 keywords (the roll-up's worst case).
        var posts = 0
        // A MongoDB store records in transactions: keep them to a consumer's batch size.
        let recordSize = mongo == nil ? 1440 * feed.keywords.count : 500
        for day in 0..<days {
            var batch: [ScoredPost] = []
            batch.reserveCapacity(1440 * feed.keywords.count)
            for minute in 0..<1440 {
                let at = start.addingTimeInterval(Double(day * 86_400 + minute * 60) + 30)
                for (index, keyword) in feed.keywords.enumerated() {
                    batch.append(feed.post(keyword: keyword, index: index, at: at))
                }
            }
            posts += batch.count
            for offset in stride(from: 0, to: batch.count, by: recordSize) {
                _ = try await store.record(Array(batch[offset..<min(batch.count, offset + recordSize)]))
            }
        }
        let minuteBuckets = try await store.series(keyword: "keyword7", in: DateInterval(start: start, end: end),
                                                   resolution: .minute).count
        print("store (\(mongo == nil ? "in memory" : "MongoDB")): \(posts) posts, 20 keywords × \(days) days; "
              + "keyword7 has \(minuteBuckets) minute buckets (filled in \(clock.now - fillStart))")

        var logger = Logger(label: "bench")
        // Cancelling the server at the end logs an error about its child channels.
        logger.logLevel = .critical
        let port = port == 0 ? try LoopbackSocket.freePort() : port
        let configuration = DashboardConfiguration(host: "127.0.0.1", port: port, now: { end },
                                                   heartbeatInterval: .seconds(3600))
        let app = try buildApplication(store: store, configuration: configuration, logger: logger)
        let server = Task { try await app.run() }
        defer { server.cancel() }
        try await waitUntilUp(port: port)

        print("endpoint                                     bytes    p50 ms   p99 ms   p99/goal(50 ms)")
        let three = "keywords=keyword1,keyword7,keyword13&range=7d"
        for path in ["/keywords/keyword7?range=7d", "/keywords/keyword7?range=24h", "/keywords/keyword7?range=1h",
                     "/", "/api/keywords/keyword7/series?range=7d", "/api/keywords/keyword7/summary?range=7d",
                     "/api/keywords/keyword7/extremes?range=7d", "/api/keywords/keyword7/posts", "/api/keywords",
                     "/compare?" + three, "/api/compare?" + three, "/keywords/keyword7/posts?range=24h",
                     "/api/keywords/keyword7/posts?range=24h&label=negative", "/api/keywords/keyword7/posts.csv?range=1h",
                     "/api/keywords/keyword7/series.csv?range=7d", "/alerts", "/api/alerts"] {
            let (bytes, samples) = try await Self.onThread { [requests] in
                let connection = try DashboardBenchConnection(port: port)
                var samples: [Double] = []
                var bytes = 0
                for i in 0..<(requests + 10) {
                    let t0 = ContinuousClock.now
                    let (status, size) = try connection.get(path)
                    let elapsed = ContinuousClock.now - t0
                    guard status == 200 else { throw ValidationError("\(path) answered \(status)") }
                    bytes = size
                    if i >= 10 { samples.append(Self.milliseconds(elapsed)) }
                }
                return (bytes, samples)
            }
            let (p50, p99) = Self.percentiles(samples)
            print(path.padding(toLength: 44, withPad: " ", startingAt: 0)
                  + String(format: " %6d  %7.2f  %7.2f   %.2f", bytes, p50, p99, p99 / 50))
        }
        try await fanOut(store: store, port: port)
        if mongo == nil { try await export(store: store, port: port, from: start, to: end) }
    }

    /// Posts in the CSV export run (issue 17's figure: a million).
    @Option(help: "Posts of one keyword exported as CSV after the latency runs (in memory only; 0: skip).")
    var exportPosts = 1_000_000

    /// Records `exportPosts` posts of one keyword, then downloads them as one CSV and prints
    /// rows per second and how far the process's resident memory rose while it streamed.
    private func export(store: any SentimentStore, port: Int, from start: Date, to end: Date) async throws {
        guard exportPosts > 0 else { return }
        var feed = DemoFeed(keywords: ["export"], seed: 3)
        let step = end.timeIntervalSince(start) / Double(exportPosts)
        var batch: [ScoredPost] = []
        var stored = 0
        for index in 0..<exportPosts {
            // Ids of their own: the demo feed's numbering would meet the week's posts'.
            var post = feed.post(keyword: "export", index: index, at: start.addingTimeInterval(Double(index) * step))
            post.post.id = "export-\(index)"
            batch.append(post)
            if batch.count == 10_000 || index == exportPosts - 1 {
                stored += try await store.record(batch).inserted
                batch.removeAll(keepingCapacity: true)
            }
        }
        guard stored == exportPosts else { throw ValidationError("stored \(stored) of \(exportPosts) export posts") }
        let before = Self.residentBytes()
        let (rows, bytes, seconds, peak) = try await Self.onThread {
            let connection = try DashboardBenchConnection(port: port)
            var newlines = 0
            var peak = before
            var pieces = 0
            let t0 = ContinuousClock.now
            let (status, bytes) = try connection.get("/api/keywords/export/posts.csv") { piece in
                newlines += piece.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
                pieces += 1
                if pieces % 64 == 0 { peak = max(peak, Self.residentBytes()) }
            }
            let seconds = Self.milliseconds(ContinuousClock.now - t0) / 1000
            guard status == 200 else { throw ValidationError("posts.csv answered \(status)") }
            return (newlines - 1, bytes, seconds, max(peak, Self.residentBytes()))
        }
        guard rows == exportPosts else { throw ValidationError("posts.csv had \(rows) rows, expected \(exportPosts)") }
        print(String(format: "CSV export: %d rows (%.0f MB) in %.2f s = %.0f rows/s (goal >= 100k); resident memory %.0f MB before, at most +%.0f MB while streaming",
                     rows, Double(bytes) / 1e6, seconds, Double(rows) / seconds,
                     Double(before) / 1e6, Double(max(0, peak - before)) / 1e6))
    }

    /// This process's resident set (`VmRSS`), in bytes.
    static func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kilobytes * 1024
    }

    /// Opens `clients` SSE streams on `/events`, then records one post at a time and
    /// measures from just before `record` until every stream has received the change.
    private func fanOut(store: any SentimentStore, port: Int) async throws {
        let clients = clients
        let streams = try await Self.onThread {
            try (0..<clients).map { _ in
                let connection = try DashboardBenchConnection(port: port)
                try connection.send("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                _ = try connection.readHead()
                return SSEClient(connection: connection)
            }
        }
        // Every stream has its opening comment: all clients are registered.
        try await Self.onThread {
            for stream in streams { try stream.waitFor(": connected", count: 1) }
        }
        var feed = DemoFeed(keywords: ["keyword1"], seed: 9)
        var samples: [Double] = []
        for round in 1...changes {
            let post = feed.post(keyword: "keyword1", index: 0, at: Date())
            let t0 = ContinuousClock.now
            _ = try await store.record([post])
            // Both stores report posts and buckets as two changes: the first one to
            // arrive is the update; wait for both before the next round.
            let first = try await Self.onThread {
                try SSEClient.waitForAll(streams, marker: "event: change", count: 2 * round - 1)
                let reached = ContinuousClock.now
                try SSEClient.waitForAll(streams, marker: "event: change", count: 2 * round)
                return reached
            }
            samples.append(Self.milliseconds(first - t0))
        }
        let (p50, p99) = Self.percentiles(samples)
        print(String(format: "SSE fan-out: record → all %d HTTP clients have the change   p50 %.2f ms   p99 %.2f ms   (%d changes)",
                     clients, p50, p99, changes))
    }

    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        duration.inMilliseconds
    }

    static func percentiles(_ samples: [Double]) -> (Double, Double) {
        let sorted = samples.sorted()
        guard !sorted.isEmpty else { return (0, 0) }
        func at(_ q: Double) -> Double { sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * q).rounded()))] }
        return (at(0.5), at(0.99))
    }

    private func waitUntilUp(port: Int) async throws {
        for _ in 0..<200 {
            let up = try? await Self.onThread { try DashboardBenchConnection(port: port).get("/healthz").status == 200 }
            if up == true { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ValidationError("server did not start on 127.0.0.1:\(port)")
    }
}

/// One open SSE stream of the fan-out run: counts markers as bytes arrive.
final class SSEClient: @unchecked Sendable {
    // Only touched from one benchmark thread at a time (each `onThread` call is awaited).
    let connection: DashboardBenchConnection
    private var pending: [UInt8] = []
    private var seen: [String: Int] = [:]

    init(connection: DashboardBenchConnection) { self.connection = connection }

    /// Number of `marker`s received so far.
    func count(_ marker: String) -> Int {
        scan(marker)
        return seen[marker, default: 0]
    }

    /// Blocks until `marker` has arrived `count` times in total.
    func waitFor(_ marker: String, count wanted: Int) throws {
        while count(marker) < wanted {
            try connection.fill()
        }
    }

    /// Waits on all streams at once (poll), at most 10 s, until each has `count` markers.
    static func waitForAll(_ clients: [SSEClient], marker: String, count wanted: Int) throws {
        var waiting = clients.filter { $0.count(marker) < wanted }
        let deadline = ContinuousClock.now + .seconds(10)
        while !waiting.isEmpty {
            guard ContinuousClock.now < deadline else {
                throw DashboardBenchConnection.Failure(description: "\(waiting.count) SSE clients got no update within 10 s")
            }
            var fds = waiting.map { pollfd(fd: $0.connection.fd, events: Int16(POLLIN), revents: 0) }
            _ = poll(&fds, nfds_t(fds.count), 100)
            for (i, client) in waiting.enumerated() where fds[i].revents & Int16(POLLIN) != 0 {
                try client.connection.fill()
            }
            waiting = waiting.filter { $0.count(marker) < wanted }
        }
    }

    /// Moves buffered bytes into `pending` and counts complete markers (a marker split
    /// across reads is found once the rest arrives).
    private func scan(_ marker: String) {
        pending += connection.takeBuffered()
        let pattern = Array(marker.utf8)
        var from = 0
        while let index = DashboardBenchConnection.find(pattern, in: pending, from: from) {
            seen[marker, default: 0] += 1
            from = index + pattern.count
        }
        // Keep only a tail that could be the start of a split marker.
        let keep = max(from, pending.count - pattern.count + 1)
        if keep > 0 { pending.removeFirst(min(keep, pending.count)) }
    }
}
