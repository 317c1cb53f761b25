import ArgumentParser
import Wiring
import Foundation
import Synchronization
import Listener
import Logging
import PipelineModel
import Storage
import ServiceLifecycle
import Sentiment
import Alerts

/// `pipeline evaluate`: replays archives through the whole embedded pipeline and reports
/// throughput, latency percentiles, per-keyword results and (with labels) accuracy.
struct EvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Replay archives through the pipeline; report throughput, latency and accuracy.",
        discussion: """
        Gold labels come from the archive lines (`gold_label` in a post, as `stream-sim \
        make-feed` writes them) or from --labels FILE (JSON lines {"id","label"} or \
        id<TAB>label). The report goes to stdout as Markdown, and to --report FILE as JSON \
        (.json) or Markdown (.md).

        With --alerts-config FILE (or any --alert-… flag) the report lists the alerts that \
        would have fired: the detectors run over the replay's minute buckets in the posts' \
        own time, after scoring (so the list does not depend on workers or speed).
        """)

    @OptionGroup var rules: RuleOptions
    @OptionGroup var replay: ReplayOptions
    @OptionGroup var processing: ProcessingOptions
    @OptionGroup var mongo: MongoOptions
    @OptionGroup var state: StateOptions
    @OptionGroup var alerting: AlertOptions
    @Option(help: "Gold labels keyed by post id (JSON lines or id<TAB>label).")
    var labels: String?
    @Option(help: "Also write the report to this file (.json or .md).")
    var report: String?

    func validate() throws {
        if replay.isEmpty { throw ValidationError("evaluate needs --replay FILE…") }
        if let report, !(report.hasSuffix(".json") || report.hasSuffix(".md")) {
            throw ValidationError("--report must end in .json or .md")
        }
    }

    func run() async throws {
        try await UserErrors.report(command: "pipeline evaluate", describe: PipelineUserErrors.describe) { try await execute() }
    }

    private func execute() async throws {
        let signals = ShutdownSignals.install()
        try rules.check()
        try replay.check(rules: rules)
        let logger = try LogSetup.bootstrap(label: "pipeline", level: processing.logLevel)
        let lifecycle = ProcessLifecycle(signals: signals, logger: logger)
        let side = try labels.map { try GoldLabels.load(path: $0) }
        if let side, side.malformed > 0 {
            FileHandle.standardError.write(Data("pipeline evaluate: \(side.malformed) malformed label line(s) skipped\n".utf8))
        }
        let alertConfiguration = alerting.isGiven ? try alerting.configuration() : nil
        let probe = LatencyProbe()
        // A back-test reads every minute bucket of the replay: none is pruned then (posts
        // stay capped, the buckets are small).
        let retention = alertConfiguration == nil ? processing.storeRetention : nil
        let backends = try PipelineBackends.make(
            mongo: mongo, logger: logger, inMemoryStore: InMemorySentimentStore(configuration: .init(postRetention: 1_000, retention: retention)))
        let store = ObservedStore(base: backends.store, probe: probe)
        let pipeline = try EmbeddedPipeline(processing: processing, spill: state.spillURL(service: "pipeline"),
                                            queue: backends.queue, store: store, logger: logger)
        guard let engine = try await lifecycle.startup({
            try await backends.prepare()
            return try pipeline.loadEngine()
        }) else { return }
        let consumers = pipeline.consumers(engine: engine)
        let started = ContinuousClock.now
        let (rules, replay) = (self.rules, self.replay)
        let feed = try pipeline.feed(command: "pipeline evaluate") { finished in
            try replay.feed(rules: rules, handoff: pipeline.handoff, logger: logger, onSubmit: { probe.received($0) },
                            finished: finished)
        }
        try await lifecycle.run([.runsUntilStopped(consumers), .runsUntilStopped(pipeline.handoff), .endsRun(feed)])
        if signals.stopRequested { return }
        let elapsed = ContinuousClock.now - started
        let seconds = elapsed.inSeconds
        let recorded = store.recorded
        var confusion = ConfusionMatrix()
        // Accuracy is over scored posts: an `unscored` post (a language the engine was not
        // trained for) has no class to compare with its gold label.
        for (id, prediction) in recorded where prediction.predicted.isClass {
            if let gold = side?.labels[id] ?? prediction.gold {
                confusion.record(gold: gold, predicted: prediction.predicted)
            }
        }
        let latency = probe.percentiles([0.5, 0.9, 0.99, 1]).map {
            EvaluationSummary.Latency(p50Milliseconds: $0[0], p90Milliseconds: $0[1], p99Milliseconds: $0[2],
                                      maxMilliseconds: $0[3])
        }
        var alerts: [Alert]?
        if let alertConfiguration { alerts = try await AlertBackTest.run(store: store, configuration: alertConfiguration) }
        var summary = EvaluationSummary(
            engine: engine.name, engineVersion: engine.version, workers: processing.workers,
            backend: backends.isMongo ? "MongoDB" : "in-memory", posts: recorded.count, seconds: seconds,
            postsPerSecond: seconds > 0 ? Double(recorded.count) / seconds : 0,
            latency: latency, keywords: try await KeywordTotals.read(from: store),
            accuracy: confusion.total == 0 ? nil : .init(labelled: confusion.total, accuracy: confusion.accuracy,
                                                         macroF1: confusion.macroF1, macroRecall: confusion.macroRecall,
                                                         confusion: confusion.counts))
        summary.alerts = alerts.map(AlertReport.rows)
        print(summary.markdown, terminator: "")
        if let report {
            do {
                if report.hasSuffix(".json") {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                    try encoder.encode(summary).write(to: URL(fileURLWithPath: report), options: .atomic)
                } else {
                    try Data(summary.markdown.utf8).write(to: URL(fileURLWithPath: report), options: .atomic)
                }
            } catch {
                throw CommandFailure("cannot write report \(report): \(error.localizedDescription)")
            }
        }
    }
}
