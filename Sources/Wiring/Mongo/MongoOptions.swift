import PipelineModel
import ArgumentParser
import Foundation

/// `--mongo URI` and `--database NAME`, the same on every service. Without `--mongo`,
/// `$MONGODB_URI` is used, so a URI with a password can stay out of the process list;
/// what a command does with neither is its own choice (`listener` prints JSON lines,
/// `pipeline` runs embedded, `consumer` and `dashboard` use `localDefault`).
public struct MongoOptions: ParsableArguments {
    /// The `--mongo` flag as given.
    @Option(help: "MongoDB URI (default: $MONGODB_URI; without either, see the description above).")
    public var mongo: String?
    /// The `--database` flag.
    @Option(help: "MongoDB database, when the URI names none.")
    public var database = "sentiment"

    /// The server a consumer or dashboard uses when given no URI at all.
    public static let localDefault = "mongodb://127.0.0.1:27017"

    /// Creates the defaults (for ArgumentParser).
    public init() {}

    /// `--mongo`, else a non-empty `$MONGODB_URI`, else nil.
    public func resolvedURI(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        mongo ?? environment["MONGODB_URI"].flatMap { $0.isEmpty ? nil : $0 }
    }
}
