extension Duration {
    /// The duration in (fractional) seconds: the one conversion every metric, lease and
    /// report uses.
    public var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// The duration in (fractional) milliseconds.
    public var inMilliseconds: Double { inSeconds * 1_000 }
}
