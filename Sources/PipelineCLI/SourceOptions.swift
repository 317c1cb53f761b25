import ArgumentParser
import CommandSupport
import Foundation
import Listener

/// Where posts come from: the live X API stream or archived feeds (the listener's flags).
struct SourceOptions: ParsableArguments {
    @Option(name: .customLong("keyword"), help: "A keyword to follow (repeatable).")
    var keywords: [String] = []
    @Option(name: .customLong("rule"), help: "A raw rule (repeatable); each needs a --tag, paired in order.")
    var rules: [String] = []
    @Option(name: .customLong("tag"), help: "The keyword a --rule's posts count under.")
    var tags: [String] = []
    @Option(help: "Only posts in this language (adds lang:xx to keyword rules).")
    var lang: String?
    @Option(name: .customLong("api-base"), help: "API base URL (a stream-sim URL for demos and tests).")
    var apiBase = "https://api.x.com"
    @Option(name: .customLong("stall-timeout"), help: "Reconnect after this much silence (e.g. 20s, 500ms).")
    var stallTimeout = "20s"
    @Option(name: .customLong("backfill-minutes"), help: "Ask for up to 5 minutes of missed posts on reconnect.")
    var backfillMinutes = 0
    @Option(name: .customLong("bearer-token-file"), help: "Read the bearer token from this file (default: $X_BEARER_TOKEN).")
    var bearerTokenFile: String?
    @Option(name: .customLong("replay"), parsing: .upToNextOption,
            help: "Replay these archive/JSONL files (.gz too) instead of streaming.")
    var replay: [String] = []
    @Option(help: "Replay speed: 1 (original pacing), N (N times faster) or max.")
    var speed = "max"
    @Option(help: "Folder for the raw archive (rotating files) of a live stream.")
    var archive: String?
    @Flag(name: .customLong("archive-gzip"), help: "Compress archive files with gzip.")
    var archiveGzip = false
    @Option(help: "Spill file for posts the queue cannot take yet.")
    var spill = "pipeline-spill.jsonl"
    @Option(name: .customLong("rules-namespace"), help: "Tag prefix marking the rules this listener owns.")
    var rulesNamespace = "sentiment-listener"

    func validate() throws {
        if replay.isEmpty && keywords.isEmpty && rules.isEmpty {
            throw ValidationError("give at least one --keyword (or --rule with --tag), or --replay FILE")
        }
        if rules.count != tags.count {
            throw ValidationError("every --rule needs its own --tag (\(rules.count) rules, \(tags.count) tags)")
        }
        if ReplaySpeed(speed) == nil {
            throw ValidationError("--speed \(speed) is not 1, a positive number, or max")
        }
        if DurationText.parse(stallTimeout).map({ $0 <= .zero }) ?? true {
            throw ValidationError("--stall-timeout \(stallTimeout) is not a duration like 20s or 500ms")
        }
        if !(0...5).contains(backfillMinutes) {
            throw ValidationError("--backfill-minutes must be between 0 and 5")
        }
        for file in replay where !FileManager.default.isReadableFile(atPath: file) {
            throw ValidationError("cannot read replay file \(file)")
        }
    }
}
