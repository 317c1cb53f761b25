import PipelineModel

/// Everything the detectors keep about one keyword: bounded histories and the two episodes.
struct KeywordWatch: Sendable {
    let keyword: String
    private(set) var lastMinute: Int64
    /// The last minute with a post: idle keywords are forgotten after a while.
    private(set) var lastActive: Int64
    private var volume: VolumeHistory
    private var sentiment: SentimentHistory
    private var spike = Episode()
    private var shift = Episode()

    init(keyword: String, firstMinute: Int64, configuration: AlertConfiguration) {
        self.keyword = keyword
        lastMinute = firstMinute - 1
        lastActive = firstMinute
        volume = VolumeHistory(windowMinutes: configuration.volume.windowMinutes,
                               seasonalDays: configuration.volume.seasonalDays, firstMinute: firstMinute)
        sentiment = SentimentHistory(recentMinutes: configuration.sentiment.recentMinutes,
                                     baselineMinutes: configuration.sentiment.baselineMinutes)
    }

    /// Whether an episode is open (such a keyword is never forgotten).
    var isAlerting: Bool { spike.open != nil || shift.open != nil }

    /// The open episodes' alerts.
    var openAlerts: [Alert] { [spike.open, shift.open].compactMap { $0 } }

    /// Feeds the closed `minute` (count and label tally; zeros for a minute without posts),
    /// appending the alert transitions to `alerts`.
    mutating func close(minute: Int64, count: Int, tally: SentimentHistory.Tally, configuration: AlertConfiguration,
                        criticalZ: Double, into alerts: inout [Alert]) {
        guard minute > lastMinute else { return }
        let gap = minute - lastMinute - 1
        if gap > 0 {
            volume.skip(minutes: gap)
            sentiment.skip(minutes: gap)
            if let ended = spike.stayQuiet(minutes: gap, quietMinutes: configuration.quietMinutes) { alerts.append(ended) }
            if let ended = shift.stayQuiet(minutes: gap, quietMinutes: configuration.quietMinutes) { alerts.append(ended) }
        }
        lastMinute = minute
        if count > 0 { lastActive = minute }
        if configuration.volume.enabled {
            let evidence = volume.close(minute: minute, count: count, configuration: configuration.volume)
            if let alert = spike.step(minute: minute, evidence: evidence, keyword: keyword, kind: .volumeSpike,
                                      quietMinutes: configuration.quietMinutes) {
                alerts.append(alert)
            }
        }
        if configuration.sentiment.enabled {
            let evidence = sentiment.close(tally, configuration: configuration.sentiment, criticalZ: criticalZ)
            if let alert = shift.step(minute: minute, evidence: evidence, keyword: keyword, kind: .sentimentShift,
                                      quietMinutes: configuration.quietMinutes) {
                alerts.append(alert)
            }
        }
    }
}
