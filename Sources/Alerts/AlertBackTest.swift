import Alerting
import Foundation
import PipelineModel
import Storage

/// Back-testing: the detectors run over a store's minute buckets, minute by minute in the
/// posts' own time, after a replay was scored — so what would have fired does not depend
/// on how fast or in which order the workers recorded the replay.
public enum AlertBackTest {
    /// Every episode the detectors find in `store`, in its last state (`ended`, or
    /// `started`/`updated` when still open at the end of the data), by start then keyword.
    public static func run(store: any SentimentStore, configuration: AlertConfiguration) async throws -> [Alert] {
        let everything = DateInterval(start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 1e11))
        var minutes: [Int64: [KeywordAggregate]] = [:]
        for summary in try await store.keywords() {
            for bucket in try await store.series(keyword: summary.keyword, in: everything, resolution: .minute) {
                minutes[AlertDetector.minute(of: bucket.bucketStart), default: []].append(bucket)
            }
        }
        var detector = AlertDetector(configuration: configuration)
        var latest: [String: Alert] = [:]
        for minute in minutes.keys.sorted() {
            for alert in detector.close(minute: minute, buckets: minutes[minute]!) { latest[alert.id] = alert }
        }
        return latest.values.sorted { ($0.start, $0.keyword, $0.kind.rawValue) < ($1.start, $1.keyword, $1.kind.rawValue) }
    }
}
