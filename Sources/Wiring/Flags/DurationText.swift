import PipelineModel

/// Parses durations written on command lines: `20s`, `500ms`, `2m`, or plain seconds.
public enum DurationText {
    /// The duration, or nil when `text` is not one.
    public static func parse(_ text: String) -> Duration? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            guard let value = Double(text.dropLast(suffix.count)), value.isFinite else { return nil }
            return .milliseconds(Int64(value * scale * 1000))
        }
        guard let seconds = Double(text), seconds.isFinite else { return nil }
        return .milliseconds(Int64(seconds * 1000))
    }
}
