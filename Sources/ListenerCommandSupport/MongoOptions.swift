import ArgumentParser
import Foundation

/// `--mongo URI` and `--database NAME`: where the listener and pipeline keep their queue
/// (and the pipeline its store). Without `--mongo`, `$MONGODB_URI` is used, so a URI with
/// a password can stay out of the process list.
public struct MongoOptions: ParsableArguments, Sendable {
    /// The `--mongo` flag as given.
    @Option(help: "MongoDB URI (default: $MONGODB_URI; neither: the embedded default).")
    public var mongo: String?
    /// The `--database` flag.
    @Option(help: "MongoDB database, when the URI names none.")
    public var database = "sentiment"

    /// Creates the defaults (for ArgumentParser).
    public init() {}

    /// `--mongo`, else a non-empty `$MONGODB_URI`, else nil.
    public func resolvedURI(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        mongo ?? environment["MONGODB_URI"].flatMap { $0.isEmpty ? nil : $0 }
    }
}
