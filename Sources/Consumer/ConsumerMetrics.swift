import Metrics

/// The pool's swift-metrics instruments; the executable chooses the backend.
struct ConsumerMetrics: Sendable {
    let batches = Counter(label: "consumer_batches_total")
    let posts = Counter(label: "consumer_posts_total")
    /// Recorded posts the language gate left unscored (counted in volume, no verdict).
    let unscored = Counter(label: "consumer_unscored_posts_total")
    let duplicates = Counter(label: "consumer_duplicate_posts_total")
    let redeliveries = Counter(label: "consumer_redeliveries_total")
    let failures = Counter(label: "consumer_failed_posts_total")
    let errors = Counter(label: "consumer_errors_total")
    let batchDuration = Timer(label: "consumer_batch_duration_seconds")
    let postsPerSecond = Gauge(label: "consumer_posts_per_second")
    let lag = Gauge(label: "consumer_lag_seconds")
    let pending = Gauge(label: "consumer_queue_pending")
    let leased = Gauge(label: "consumer_queue_leased")
    let deadLetters = Gauge(label: "consumer_dead_letters")
}
