import Foundation
import MongoKit
import PipelineTesting

/// Reads a test database's post queue (`inboxPosts`: one document per queued batch, its
/// posts in an array) through libmongoc.
struct InboxProbe {
    let client: MongoClient
    let database: MongoDatabase
    /// A fresh database name, so tests never see each other's posts.
    let databaseName: String

    init(uri: String, prefix: String = "listener_e2e") throws {
        client = try MongoClient(uri: uri)
        databaseName = "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
        database = client.database(databaseName)
    }

    /// The id of every queued post (with repeats, if any).
    func ids() async throws -> [String] {
        try await database.collection("inboxPosts").find([:]).flatMap { batch in
            (batch["posts"]?.arrayValue ?? []).compactMap { post -> String? in
                guard case .document(let document) = post else { return nil }
                return document["id"]?.stringValue
            }
        }
    }

    /// Posts queued.
    func count() async throws -> Int { try await ids().count }

    /// Polls until the inbox holds `expected` posts or `timeout` passes (a generous bound
    /// against a hung run, not a performance assertion); returns the last count.
    func waitForCount(_ expected: Int, timeout: Duration = .seconds(90),
                      while running: () -> Bool = { true }) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        var last = -1
        while ContinuousClock.now < deadline {
            last = (try? await count()) ?? last
            if last >= expected || !running() { return last }
            try await Task.sleep(for: .milliseconds(100))
        }
        return last
    }

    func drop() async { try? await database.drop() }
}
