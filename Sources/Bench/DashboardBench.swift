import ArgumentParser
import Dashboard
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import Logging
import PipelineCore

/// `bench dashboard`: request latency of the keyword page and API over a week of minute
/// buckets for 20 keywords, and the delay of fanning one change out to 100 SSE clients.
struct DashboardBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "p50/p99 of keyword page and API renders (20 keywords × 7 days) and SSE fan-out to 100 clients.")

    @Option(help: "Requests per endpoint.")
    var requests = 200

    @Option(help: "SSE clients.")
    var clients = 100

    @Option(help: "Changes published in the fan-out run.")
    var changes = 200

    @Option(help: "Port for the in-process server.")
    var port = 18_599

    func run() async throws {
        let store = InMemorySentimentStore()
        var feed = DemoFeed(keywords: (1...20).map { "keyword\($0)" }, seed: 1)
        let end = Date()
        let start = end.addingTimeInterval(-7 * 86_400)
        let clock = ContinuousClock()
        let fillStart = clock.now
        var day = start
        var posts = 0
        while day < end {
            let next = min(end, day.addingTimeInterval(86_400))
            let batch = feed.posts(from: day, to: next, perMinute: 1)
            posts += batch.count
            _ = try await store.record(batch)
            day = next
        }
        print("store: \(posts) posts, 20 keywords × 7 days of minute buckets (filled in \(clock.now - fillStart))")

        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let configuration = DashboardConfiguration(host: "127.0.0.1", port: port, now: { end })
        let app = try buildApplication(store: store, configuration: configuration, logger: logger)
        let server = Task { try await app.run() }
        defer { server.cancel() }
        let base = "http://127.0.0.1:\(port)"
        try await waitUntilUp("\(base)/healthz")

        print("endpoint                                   p50 ms   p99 ms   p99/goal(50 ms)")
        for path in ["/keywords/keyword7?range=7d", "/keywords/keyword7?range=24h", "/keywords/keyword7?range=1h",
                     "/", "/api/keywords/keyword7/series?range=7d", "/api/keywords/keyword7/summary?range=7d",
                     "/api/keywords/keyword7/extremes?range=7d", "/api/keywords"] {
            var samples: [Double] = []
            for i in 0..<(requests + 5) {
                let t0 = clock.now
                let (data, response) = try await URLSession.shared.data(from: URL(string: base + path)!)
                let elapsed = clock.now - t0
                guard (response as? HTTPURLResponse)?.statusCode == 200, !data.isEmpty else {
                    throw ValidationError("\(path) failed")
                }
                if i >= 5 { samples.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000) }
            }
            let (p50, p99) = percentiles(samples)
            print(path.padding(toLength: 42, withPad: " ", startingAt: 0)
                  + String(format: " %7.2f  %7.2f   %.2f", p50, p99, p99 / 50))
        }
        try await fanOut(store: store, logger: logger)
    }

    /// Registers `clients` subscribers on a broadcaster fed by the store and measures the
    /// time from `record` until the last client has the event.
    private func fanOut(store: InMemorySentimentStore, logger: Logger) async throws {
        let broadcaster = ChangeBroadcaster(store: store, bufferSize: 16, heartbeat: .seconds(3600),
                                            metrics: .init(), logger: logger)
        let service = Task { try await broadcaster.run() }
        defer { service.cancel() }
        // Let the broadcaster subscribe before measuring.
        try await Task.sleep(for: .milliseconds(200))
        let clock = ContinuousClock()
        var feed = DemoFeed(keywords: ["keyword1"], seed: 9)
        let streams = (0..<clients).map { _ in broadcaster.add(keyword: nil).events }
        var samples: [Double] = []
        try await withThrowingTaskGroup(of: Void.self) { group in
            let (ready, readyContinuation) = AsyncStream.makeStream(of: Int.self)
            let (done, doneContinuation) = AsyncStream.makeStream(of: Int.self)
            for stream in streams {
                group.addTask {
                    readyContinuation.yield(0)
                    var seen = 0
                    for await event in stream {
                        guard case let .change(kind, _, _) = event, kind == "posts" else { continue }
                        seen += 1
                        doneContinuation.yield(seen)
                        if seen == changes { return }
                    }
                }
            }
            var readyCount = 0
            for await _ in ready {
                readyCount += 1
                if readyCount == clients { break }
            }
            var doneIterator = done.makeAsyncIterator()
            for _ in 0..<changes {
                let t0 = clock.now
                _ = try await store.record([feed.post(keyword: "keyword1", index: 0, at: Date())])
                for _ in 0..<clients { _ = await doneIterator.next() }
                let elapsed = clock.now - t0
                samples.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
            }
            try await group.waitForAll()
        }
        let (p50, p99) = percentiles(samples)
        print(String(format: "SSE fan-out, record → %d clients received   p50 %.3f ms   p99 %.3f ms   (%d changes)",
                     clients, p50, p99, changes))
    }

    private func percentiles(_ samples: [Double]) -> (Double, Double) {
        let sorted = samples.sorted()
        guard !sorted.isEmpty else { return (0, 0) }
        func at(_ q: Double) -> Double { sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * q).rounded()))] }
        return (at(0.5), at(0.99))
    }

    private func waitUntilUp(_ url: String) async throws {
        for _ in 0..<200 {
            if let (_, response) = try? await URLSession.shared.data(from: URL(string: url)!),
               (response as? HTTPURLResponse)?.statusCode == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ValidationError("server did not start on \(url)")
    }
}
