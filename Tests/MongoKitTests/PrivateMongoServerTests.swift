import Foundation
import MongoKit
import PipelineTesting
import Testing

/// The restartable test server other suites use to simulate an outage: data written
/// before a stop is there after the restart, and a client sees the outage as an error.
@Suite("Private MongoDB test server")
struct PrivateMongoServerTests {
    struct Note: Codable, Equatable, Sendable {
        var _id: String
        var text: String
    }

    @Test func dataSurvivesARestartAndTheOutageIsAnError() async throws {
        let server = try await PrivateMongoServer()
        do {
            let client = try MongoClient(uri: server.uri)
            let notes = client.database("restart").collection("notes")
            try await notes.insertOne(Note(_id: "1", text: "before"))

            await server.stop()
            await #expect(throws: MongoError.self) {
                try await notes.insertOne(Note(_id: "2", text: "during"))
            }

            try await server.start()
            try await notes.insertOne(Note(_id: "3", text: "after"))
            let ids = try await notes.find(Note.self, [:] as BSONDocument).map(\._id).sorted()
            #expect(ids == ["1", "3"])
        } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }
}
