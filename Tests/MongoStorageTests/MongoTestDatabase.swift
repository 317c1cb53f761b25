import Foundation
import MongoKit
import PipelineTesting

/// A fresh database per test on the test server, through one client per test process.
enum MongoTestDatabase {
    private static let shared: Result<MongoClient, Error> = Result {
        try MongoClient(uri: try TestEnvironment.requireMongoURI())
    }

    /// A database no other test uses.
    static func make() throws -> MongoDatabase {
        try shared.get().database("consumer_test_\(UUID().uuidString.prefix(12).lowercased())")
    }
}
