import Alerting
import ArgumentParser
import Foundation
import PipelineModel

/// `bench alerts`: the detectors' cost per closed minute for many keywords, on one core.
/// Every keyword gets a bucket every minute above the volume minimum — the worst case,
/// where the median and MAD are computed for each — after a warm-up past every window.
/// Prints nanoseconds per keyword per minute against the 1 µs goal.
struct AlertsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Detector cost per closed minute bucket for N keywords (goal ≤ 1 µs per keyword per minute).")

    @Option(help: "Keywords followed.")
    var keywords = 10_000

    @Option(help: "Minutes measured (after a warm-up of the volume window plus the sentiment windows).")
    var minutes = 120

    @Option(help: "Mean posts per keyword per minute (at or above the volume minimum, so every minute computes a median).")
    var rate = 30

    func validate() throws {
        guard keywords > 0, minutes > 0, rate > 0 else { throw ValidationError("every option must be positive") }
    }

    func run() async throws {
        try await BenchFailure.reporting("alerts") {
            let configuration = AlertConfiguration()
            var detector = AlertDetector(configuration: configuration)
            let names = (0..<keywords).map { "keyword\($0)" }
            var random = SplitMix64(seed: 18)
            let warmup = configuration.volume.windowMinutes + configuration.sentiment.recentMinutes
                + configuration.sentiment.baselineMinutes
            let start: Int64 = 1_767_225_600 / 60
            // Buckets are built before the clock starts: the store makes them, not the detectors.
            func minuteBuckets(_ minute: Int64) -> [KeywordAggregate] {
                names.map { name in
                    var bucket = KeywordAggregate(keyword: name, bucketStart: Date(timeIntervalSince1970: TimeInterval(minute * 60)))
                    let count = rate / 2 + random.next(below: rate + 1)
                    bucket.count = count
                    bucket.negative = count / 5
                    bucket.positive = count * 2 / 5
                    bucket.neutral = count - bucket.negative - bucket.positive
                    return bucket
                }
            }
            var alerts = 0
            for minute in 0..<Int64(warmup) { alerts += detector.close(minute: start + minute, buckets: minuteBuckets(start + minute)).count }
            var elapsed = Duration.zero
            for minute in Int64(warmup)..<Int64(warmup + minutes) {
                let buckets = minuteBuckets(start + minute)
                let clock = ContinuousClock.now
                alerts += detector.close(minute: start + minute, buckets: buckets).count
                elapsed += ContinuousClock.now - clock
            }
            let perKeyword = elapsed.inSeconds * 1e9 / Double(keywords * minutes)
            print(String(format: "alerts: %d keywords × %d minutes: %.0f ns per keyword per minute (goal ≤ 1000 ns), "
                + "%.2f ms per closed minute, %d transitions", keywords, minutes, perKeyword,
                elapsed.inSeconds * 1e3 / Double(minutes), alerts))
        }
    }
}
