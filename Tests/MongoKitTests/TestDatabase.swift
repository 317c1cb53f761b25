import Foundation
import MongoKit
import PipelineTesting

/// A fresh, uniquely named database on the test server, dropped afterwards, so tests
/// can run concurrently.
enum TestDatabase {
    static func with(_ body: (MongoDatabase) async throws -> Void) async throws {
        let client = try MongoClient(uri: TestEnvironment.requireMongoURI())
        let database = client.database("mongokit_\(UInt64.random(in: 0...UInt64.max) % 1_000_000_000_000)")
        do {
            try await body(database)
        } catch {
            try? await database.drop()
            throw error
        }
        try await database.drop()
    }
}
