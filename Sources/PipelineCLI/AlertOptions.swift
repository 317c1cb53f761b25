import Alerting
import ArgumentParser
import Foundation
import Wiring

/// The detectors' flags: one JSON file with every knob (`--alerts-config`), and flags for
/// the main knobs that override it.
struct AlertOptions: ParsableArguments {
    @Option(name: .customLong("alerts-config"), help: ArgumentHelp(
        "Alert detectors' settings, a JSON file (see README, Alerts); missing keys keep their defaults.",
        valueName: "file"))
    var alertsConfig: String?
    @Option(name: .customLong("alert-threshold"), help: ArgumentHelp(
        "Volume spike: robust standard deviations above the baseline (default 5).", valueName: "k"))
    var threshold: Double?
    @Option(name: .customLong("alert-min-count"), help: ArgumentHelp(
        "Volume spike: fewest posts in a minute that can alert (default 10).", valueName: "n"))
    var minimumCount: Int?
    @Option(name: .customLong("alert-window"), help: ArgumentHelp(
        "Volume spike: minutes of the rolling median baseline (default 60).", valueName: "minutes"))
    var window: Int?
    @Option(name: .customLong("alert-significance"), help: ArgumentHelp(
        "Sentiment shift: two-sided significance of the z-test (default 0.001).", valueName: "p"))
    var significance: Double?
    @Option(name: .customLong("alert-min-posts"), help: ArgumentHelp(
        "Sentiment shift: fewest scored posts in each window (default 30).", valueName: "n"))
    var minimumPosts: Int?

    /// Whether any alert flag was given.
    var isGiven: Bool {
        alertsConfig != nil || threshold != nil || minimumCount != nil || window != nil || significance != nil
            || minimumPosts != nil
    }

    /// The file's settings (or the defaults) with the flags applied, checked; a one-line
    /// `CommandFailure` when the file cannot be read or a value is out of range.
    func configuration() throws -> AlertConfiguration {
        var configuration = AlertConfiguration()
        if let alertsConfig {
            guard let data = FileManager.default.contents(atPath: alertsConfig) else {
                throw CommandFailure("cannot read alerts configuration \(alertsConfig)")
            }
            do {
                configuration = try AlertConfiguration.decode(json: data)
            } catch {
                throw CommandFailure("\(alertsConfig): \(error)")
            }
        }
        if let threshold { configuration.volume.thresholdDeviations = threshold }
        if let minimumCount { configuration.volume.minimumCount = minimumCount }
        if let window { configuration.volume.windowMinutes = window }
        if let significance { configuration.sentiment.significance = significance }
        if let minimumPosts { configuration.sentiment.minimumPosts = minimumPosts }
        do {
            try configuration.validate()
        } catch {
            throw CommandFailure("\(error)")
        }
        return configuration
    }
}
