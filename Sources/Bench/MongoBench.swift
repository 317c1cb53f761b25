import PipelineModel
import ArgumentParser
import Foundation
import MongoKit

/// `bench mongo`: bulk inserts and bulk upserts through MongoKit and through pymongo
/// (scripts/bench/pymongo_bulk.py) against the same server in one run; prints both
/// rates and their ratio (goal ≥ 0.9: MongoKit adds at most 10 % over pymongo).
struct MongoBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mongo",
        abstract: "Bulk insert/upsert rate of MongoKit vs pymongo against the same MongoDB server.")

    @Option(help: "MongoDB URI (default: $TEST_MONGODB_URI; start one with scripts/mongo-test-server).")
    var uri: String?
    @Option(help: "Documents to insert per side and round.")
    var docs = 20_000
    @Option(help: "Upserts per side and round.")
    var upserts = 20_000
    @Option(help: "Operations per bulk call.")
    var batch = 1_000
    @Option(help: "Distinct aggregate keys the upserts hit.")
    var keys = 200
    @Option(help: "Rounds (each runs pymongo then MongoKit); the best rate of each side counts.")
    var rounds = 2
    @Option(help: "Python with pymongo.")
    var python = ".venv/bin/python"

    struct Post: Codable, Sendable {
        struct Author: Codable, Sendable { var handle: String; var followers: Int }
        var _id: String
        var keyword: String
        var text: String
        var score: Double
        var at: Date
        var author: Author
        var tags: [String]
    }

    struct Rates: Decodable {
        var insert_rate: Double
        var upsert_rate: Double
        var stored: Int
        var counted: Int
    }

    func run() async throws {
        try await BenchFailure.reporting("mongo") { try await measure() }
    }

    func measure() async throws {
        guard docs > 0, upserts > 0, batch > 0, keys > 0, rounds > 0 else {
            throw BenchFailure("--docs, --upserts, --batch, --keys and --rounds must be positive")
        }
        let script = URL(fileURLWithPath: "scripts/bench/pymongo_bulk.py")
        guard FileManager.default.fileExists(atPath: script.path) else {
            throw BenchFailure("run from the project root (scripts/bench/pymongo_bulk.py not found)")
        }
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw BenchFailure("no Python at \(python) (create .venv: scripts/bootstrap)")
        }
        guard let uri = uri ?? ProcessInfo.processInfo.environment["TEST_MONGODB_URI"] else {
            throw BenchFailure("no server: pass --uri or set TEST_MONGODB_URI (scripts/mongo-test-server starts one)")
        }
        print("bench mongo: \(docs) inserts and \(upserts) upserts per side and round, batches of \(batch), \(keys) keys")

        let client = try MongoClient(uri: uri)
        // Connected before any clock starts, as the pymongo side is (it pings first too).
        do {
            try await client.ping()
        } catch {
            throw BenchFailure("cannot reach \(uri): \(error)")
        }
        let posts = Self.makePosts(docs)
        var swiftBest = (insert: 0.0, upsert: 0.0)
        var pythonBest = (insert: 0.0, upsert: 0.0)
        for round in 1...rounds {
            let reference = try runPymongo(uri: uri, database: "bench_py_\(UInt32.random(in: 0...UInt32.max))")
            guard reference.stored == docs, reference.counted == upserts else {
                throw BenchFailure("pymongo side stored \(reference.stored) posts and counted \(reference.counted) upserts")
            }
            let ours = try await runMongoKit(client: client, posts: posts,
                                             database: "bench_swift_\(UInt32.random(in: 0...UInt32.max))")
            print(String(format: "round %d: inserts/s  pymongo %8.0f  MongoKit %8.0f | upserts/s  pymongo %8.0f  MongoKit %8.0f",
                         round, reference.insert_rate, ours.insert, reference.upsert_rate, ours.upsert))
            pythonBest = (max(pythonBest.insert, reference.insert_rate), max(pythonBest.upsert, reference.upsert_rate))
            swiftBest = (max(swiftBest.insert, ours.insert), max(swiftBest.upsert, ours.upsert))
        }
        print(String(format: "bulk inserts:  MongoKit %8.0f docs/s, pymongo %8.0f docs/s, ratio %.2f (goal >= 0.9)",
                     swiftBest.insert, pythonBest.insert, swiftBest.insert / pythonBest.insert))
        print(String(format: "bulk upserts:  MongoKit %8.0f ops/s,  pymongo %8.0f ops/s,  ratio %.2f (goal >= 0.9)",
                     swiftBest.upsert, pythonBest.upsert, swiftBest.upsert / pythonBest.upsert))
    }

    /// The same documents as pymongo_bulk.py's make_posts.
    static func makePosts(_ count: Int) -> [Post] {
        let base = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
        return (0..<count).map { i in
            Post(_id: "post-\(i)", keyword: "kw\(i % 50)",
                 text: "post number \(i) about kw\(i % 50): the quick brown fox jumps over the lazy dog",
                 score: Double(i % 200) / 100 - 1, at: base.addingTimeInterval(Double(i) * 0.25),
                 author: .init(handle: "@user\(i % 997)", followers: i % 5000), tags: ["a", "b", "t\(i % 7)"])
        }
    }

    /// The same operations as pymongo_bulk.py's make_upserts.
    func makeUpserts(start: Int, count: Int) -> [WriteModel] {
        let base = Date(timeIntervalSince1970: 1_767_225_600)
        return (start..<start + count).map { i in
            let score = Double(i % 200) / 100 - 1
            return .updateOne(filter: ["_id": .string("kw\(i % keys)|2026-01-01T00:00")], update: [
                "$inc": ["count": 1, "sum": .double(score)],
                "$set": ["lastText": .string("post \(i)")],
                "$max": ["maxScore": .double(score), "lastSeen": .date(base.addingTimeInterval(Double(i)))],
                "$min": ["minScore": .double(score)],
            ], upsert: true)
        }
    }

    func runMongoKit(client: MongoClient, posts: [Post], database name: String) async throws -> (insert: Double, upsert: Double) {
        let database = client.database(name)
        let postsCollection = database.collection("posts")
        let aggregates = database.collection("aggregates")
        let clock = ContinuousClock()

        let insertStart = clock.now
        for offset in stride(from: 0, to: posts.count, by: batch) {
            _ = try await postsCollection.insertMany(Array(posts[offset..<min(offset + batch, posts.count)]))
        }
        let insertSeconds = (clock.now - insertStart).inSeconds

        let upsertStart = clock.now
        for offset in stride(from: 0, to: upserts, by: batch) {
            _ = try await aggregates.bulkWrite(makeUpserts(start: offset, count: min(batch, upserts - offset)))
        }
        let upsertSeconds = (clock.now - upsertStart).inSeconds

        let stored = try await postsCollection.count()
        let counted = try await aggregates.aggregate([["$group": ["_id": nil, "n": ["$sum": "$count"]]]])
            .first?["n"]?.intValue ?? 0
        try await database.drop()
        guard stored == docs, counted == upserts else {
            throw BenchFailure("MongoKit side stored \(stored) posts and counted \(counted) upserts")
        }
        return (Double(docs) / insertSeconds, Double(upserts) / upsertSeconds)
    }

    func runPymongo(uri: String, database: String) throws -> Rates {
        let output = try runProcess(python, ["scripts/bench/pymongo_bulk.py", "--uri", uri, "--db", database,
                                             "--docs", "\(docs)", "--upserts", "\(upserts)",
                                             "--batch", "\(batch)", "--keys", "\(keys)"])
        guard let line = output.split(separator: "\n").last,
              let rates = try? JSONDecoder().decode(Rates.self, from: Data(line.utf8)) else {
            throw BenchFailure("pymongo_bulk.py printed no result: \(output)")
        }
        return rates
    }

    /// Runs a program, returns its stdout; a failure ends the benchmark with one line.
    func runProcess(_ executable: String, _ arguments: [String]) throws -> String {
        let outputURL = FileManager.default.temporaryDirectory
            .appendingPathComponent("bench-mongo-\(UInt32.random(in: 0...UInt32.max)).out")
        guard FileManager.default.createFile(atPath: outputURL.path, contents: nil),
              let output = try? FileHandle(forWritingTo: outputURL) else {
            throw BenchFailure("cannot create \(outputURL.path)")
        }
        defer { try? FileManager.default.removeItem(at: outputURL) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = output
        do {
            try process.run()
        } catch {
            throw BenchFailure("cannot run \(executable): \(error.localizedDescription)")
        }
        process.waitUntilExit()
        try? output.close()
        let text = (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            throw BenchFailure("\(executable) \(arguments.first ?? "") exited with status \(process.terminationStatus)")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
