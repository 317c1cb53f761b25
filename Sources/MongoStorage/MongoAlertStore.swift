import Foundation
import Logging
import MongoKit
import PipelineModel
import Storage

/// `AlertStore` on MongoDB: `alerts` and the `alertOutbox`. A transition's deliveries are
/// written before the alert itself, so a crash between the two loses no delivery (the
/// delivery carries its alert); both writes are idempotent, so recording again is safe.
/// One delivering process per database (the dashboards' leader lease is a later step).
public struct MongoAlertStore: AlertStore {
    let alerts: MongoCollection
    let outbox: MongoCollection
    let logger: Logger

    typealias AlertField = MongoSchema.Alerts
    typealias OutboxField = MongoSchema.AlertOutbox

    /// A store in `database`; call `prepare()` once before use.
    public init(database: MongoDatabase, logger: Logger = Logger(label: "MongoAlertStore")) {
        alerts = database.collection(AlertField.collection)
        outbox = database.collection(OutboxField.collection)
        self.logger = logger
    }

    /// Creates the indexes (idempotent).
    public func prepare() async throws {
        _ = try await alerts.createIndexes([
            IndexModel(keys: [AlertField.keyword: 1, AlertField.start: 1], name: AlertField.keywordStartIndex),
            IndexModel(keys: [AlertField.start: 1], name: AlertField.startIndex),
        ])
        _ = try await outbox.createIndexes([
            IndexModel(keys: [OutboxField.delivered: 1, OutboxField.notBefore: 1], name: OutboxField.dueIndex),
        ])
    }

    public func record(_ alert: Alert, deliverTo targets: [String], now: Date) async throws {
        if alert.state.isDelivered {
            for target in targets {
                let delivery = AlertDelivery(alert: alert, target: target, notBefore: now)
                var fields = try BSONEncoder().encode(delivery)
                fields.append(OutboxField.delivered, false)
                _ = try await outbox.updateOne(filter: [OutboxField.id: .string(Self.slot(delivery))],
                                               update: ["$setOnInsert": .document(fields)], upsert: true)
            }
        }
        var document = try BSONEncoder().encode(alert)
        document.append(AlertField.id, .string(alert.id))
        document.append(AlertField.stateOrder, .int(Self.order(alert.state)))
        // Replaces only an earlier transition; when a later one is stored the filter
        // misses and the upsert's insert meets the existing _id: nothing to do.
        let filter: BSONDocument = [
            AlertField.id: .string(alert.id),
            "$or": [
                [AlertField.end: ["$lt": .date(alert.end)]],
                [AlertField.end: .date(alert.end), AlertField.stateOrder: ["$lte": .int(Self.order(alert.state))]],
            ],
        ]
        do {
            let result = try await alerts.bulkWrite([.replaceOne(filter: filter, replacement: document, upsert: true)])
            if !result.writeErrors.allSatisfy(\.isDuplicateKey) {
                throw MongoError(kind: .commandFailed, message: result.writeErrors.map(\.message).joined(separator: "; "))
            }
        } catch let error as MongoError where error.kind == .duplicateKey {
            return
        }
    }

    public func alerts(in range: DateInterval, keyword: String?) async throws -> [Alert] {
        var filter: BSONDocument = [AlertField.start: ["$lt": .date(range.end)], AlertField.end: ["$gt": .date(range.start)]]
        if let keyword { filter.append(AlertField.keyword, .string(keyword)) }
        return try await alerts.find(Alert.self, filter, options: FindOptions(sort: [AlertField.start: 1, AlertField.id: 1]))
    }

    public func dueDeliveries(at now: Date, limit: Int) async throws -> [AlertDelivery] {
        try await outbox.find(AlertDelivery.self, [OutboxField.delivered: false, OutboxField.notBefore: ["$lte": .date(now)]],
                              options: FindOptions(sort: [OutboxField.notBefore: 1, OutboxField.id: 1], limit: limit))
    }

    public func pendingDeliveries() async throws -> Int {
        try await outbox.count([OutboxField.delivered: false])
    }

    public func markDelivered(_ delivery: AlertDelivery) async throws {
        _ = try await outbox.updateOne(filter: [OutboxField.id: .string(Self.slot(delivery))],
                                       update: ["$set": [OutboxField.delivered: true]])
    }

    public func markFailed(_ delivery: AlertDelivery, error: String, retryAt: Date) async throws {
        _ = try await outbox.updateOne(
            filter: [OutboxField.id: .string(Self.slot(delivery)), OutboxField.delivered: false],
            update: ["$inc": [OutboxField.attempts: 1],
                     "$set": [OutboxField.notBefore: .date(retryAt), OutboxField.lastError: .string(error)]])
    }

    static func slot(_ delivery: AlertDelivery) -> String { delivery.key + " " + delivery.target }

    static func order(_ state: AlertState) -> Int {
        switch state {
        case .started: 0
        case .updated: 1
        case .ended: 2
        }
    }
}
