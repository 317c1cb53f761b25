import Foundation
import PipelineModel

/// Every knob of the detectors, with the defaults README.md documents (section Alerts); read from
/// one JSON file (`--alerts-config`), where a missing key keeps its default.
public struct AlertConfiguration: Sendable, Hashable, Codable {
    /// The volume spike detector.
    public struct VolumeSpike: Sendable, Hashable, Codable {
        /// Whether it runs.
        public var enabled = true
        /// Minutes of history the rolling median and MAD are taken over.
        public var windowMinutes = 60
        /// How many robust standard deviations above the baseline a minute must be.
        public var thresholdDeviations = 5.0
        /// Fewest posts in a minute that can alert, however quiet the keyword was.
        public var minimumCount = 10
        /// Minutes a keyword must have been followed before it can alert (its baseline is noise before).
        public var warmupMinutes = 30
        /// Days of hourly totals kept for the same-hour-of-day term (used from 2 days on).
        public var seasonalDays = 7

        /// The defaults.
        public init() {}
    }

    /// The sentiment shift detector.
    public struct SentimentShift: Sendable, Hashable, Codable {
        /// Whether it runs.
        public var enabled = true
        /// Minutes of the recent window (ending with the minute just closed).
        public var recentMinutes = 15
        /// Minutes of the baseline window just before the recent one.
        public var baselineMinutes = 60
        /// Two-sided significance of the two-proportion z-test.
        public var significance = 0.001
        /// Fewest scored posts in each window before a shift can alert.
        public var minimumPosts = 30
        /// Smallest change of share (0…1) worth an alert, however significant.
        public var minimumShift = 0.1
        /// Labels whose share is watched.
        public var labels: [SentimentLabel] = [.negative, .positive]

        /// The defaults.
        public init() {}
    }

    /// The volume spike detector's settings.
    public var volume = VolumeSpike()
    /// The sentiment shift detector's settings.
    public var sentiment = SentimentShift()
    /// Consecutive minutes without the condition that end an episode.
    public var quietMinutes = 3
    /// Minutes a bucket is kept open after the newest post's minute, for posts scored late.
    public var latenessMinutes = 2
    /// Keywords followed at most (memory bound); further keywords are not watched.
    public var maxKeywords = 100_000

    /// The defaults.
    public init() {}
}

// Decoding keeps the default of every key the file leaves out, and refuses unknown keys
// (a misspelt knob silently keeping its default is the worst kind of configuration bug).
extension AlertConfiguration {
    private enum Keys: String, CodingKey, CaseIterable {
        case volume, sentiment, quietMinutes, latenessMinutes, maxKeywords
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let container = try decoder.container(keyedBy: Keys.self)
        try AlertConfigurationError.refuseUnknownKeys(in: decoder, known: Keys.allCases.map(\.rawValue), section: nil)
        volume = try container.decodeIfPresent(VolumeSpike.self, forKey: .volume) ?? volume
        sentiment = try container.decodeIfPresent(SentimentShift.self, forKey: .sentiment) ?? sentiment
        quietMinutes = try container.decodeIfPresent(Int.self, forKey: .quietMinutes) ?? quietMinutes
        latenessMinutes = try container.decodeIfPresent(Int.self, forKey: .latenessMinutes) ?? latenessMinutes
        maxKeywords = try container.decodeIfPresent(Int.self, forKey: .maxKeywords) ?? maxKeywords
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(volume, forKey: .volume)
        try container.encode(sentiment, forKey: .sentiment)
        try container.encode(quietMinutes, forKey: .quietMinutes)
        try container.encode(latenessMinutes, forKey: .latenessMinutes)
        try container.encode(maxKeywords, forKey: .maxKeywords)
    }

    /// The configuration in `data` (JSON), checked: a one-line `AlertConfigurationError` otherwise.
    public static func decode(json data: Data) throws -> AlertConfiguration {
        let configuration: AlertConfiguration
        do {
            configuration = try JSONDecoder().decode(AlertConfiguration.self, from: data)
        } catch let error as AlertConfigurationError {
            throw error
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw context.codingPath.isEmpty ? AlertConfigurationError.notJSON
                : AlertConfigurationError.invalid(at: context.codingPath, "has the wrong type")
        } catch let DecodingError.dataCorrupted(context) {
            throw context.codingPath.isEmpty ? AlertConfigurationError.notJSON
                : AlertConfigurationError.invalid(at: context.codingPath, "is not a valid value")
        } catch {
            throw AlertConfigurationError.notJSON
        }
        try configuration.validate()
        return configuration
    }

    /// Checks every knob's range.
    public func validate() throws {
        func check(_ ok: Bool, _ path: String, _ rule: String) throws {
            if !ok { throw AlertConfigurationError.outOfRange(path, rule) }
        }
        try check((3...1_440).contains(volume.windowMinutes), "volume.windowMinutes", "between 3 and 1440")
        try check(volume.thresholdDeviations > 0 && volume.thresholdDeviations.isFinite,
                  "volume.thresholdDeviations", "a positive number")
        try check(volume.minimumCount >= 1, "volume.minimumCount", "at least 1")
        try check((0...10_080).contains(volume.warmupMinutes), "volume.warmupMinutes", "between 0 and 10080")
        try check((0...28).contains(volume.seasonalDays), "volume.seasonalDays", "between 0 and 28")
        try check((1...1_440).contains(sentiment.recentMinutes), "sentiment.recentMinutes", "between 1 and 1440")
        try check((1...10_080).contains(sentiment.baselineMinutes), "sentiment.baselineMinutes", "between 1 and 10080")
        try check(sentiment.significance > 0 && sentiment.significance < 0.5, "sentiment.significance",
                  "between 0 and 0.5 (exclusive)")
        try check(sentiment.minimumPosts >= 1, "sentiment.minimumPosts", "at least 1")
        try check((0...1).contains(sentiment.minimumShift), "sentiment.minimumShift", "between 0 and 1")
        try check(!sentiment.labels.isEmpty && sentiment.labels.allSatisfy(\.isClass), "sentiment.labels",
                  "a non-empty list of negative, neutral, positive")
        try check((1...1_440).contains(quietMinutes), "quietMinutes", "between 1 and 1440")
        try check((0...60).contains(latenessMinutes), "latenessMinutes", "between 0 and 60")
        try check(maxKeywords >= 1, "maxKeywords", "at least 1")
    }
}

extension AlertConfiguration.VolumeSpike {
    private enum Keys: String, CodingKey, CaseIterable {
        case enabled, windowMinutes, thresholdDeviations, minimumCount, warmupMinutes, seasonalDays
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: Keys.self)
        try AlertConfigurationError.refuseUnknownKeys(in: decoder, known: Keys.allCases.map(\.rawValue), section: "volume")
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? enabled
        windowMinutes = try c.decodeIfPresent(Int.self, forKey: .windowMinutes) ?? windowMinutes
        thresholdDeviations = try c.decodeIfPresent(Double.self, forKey: .thresholdDeviations) ?? thresholdDeviations
        minimumCount = try c.decodeIfPresent(Int.self, forKey: .minimumCount) ?? minimumCount
        warmupMinutes = try c.decodeIfPresent(Int.self, forKey: .warmupMinutes) ?? warmupMinutes
        seasonalDays = try c.decodeIfPresent(Int.self, forKey: .seasonalDays) ?? seasonalDays
    }
}

extension AlertConfiguration.SentimentShift {
    private enum Keys: String, CodingKey, CaseIterable {
        case enabled, recentMinutes, baselineMinutes, significance, minimumPosts, minimumShift, labels
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: Keys.self)
        try AlertConfigurationError.refuseUnknownKeys(in: decoder, known: Keys.allCases.map(\.rawValue), section: "sentiment")
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? enabled
        recentMinutes = try c.decodeIfPresent(Int.self, forKey: .recentMinutes) ?? recentMinutes
        baselineMinutes = try c.decodeIfPresent(Int.self, forKey: .baselineMinutes) ?? baselineMinutes
        significance = try c.decodeIfPresent(Double.self, forKey: .significance) ?? significance
        minimumPosts = try c.decodeIfPresent(Int.self, forKey: .minimumPosts) ?? minimumPosts
        minimumShift = try c.decodeIfPresent(Double.self, forKey: .minimumShift) ?? minimumShift
        labels = try c.decodeIfPresent([SentimentLabel].self, forKey: .labels) ?? labels
    }
}
