import CMongoc
import Foundation

extension MongoClient {
    /// Starts a session for causally related operations outside a transaction; call
    /// ``MongoSession`` operations, then let it go (or use ``withSession(_:)``).
    public func withSession<T>(_ body: (MongoSession) async throws -> T) async throws -> T {
        let session = try await executor.run { [self] in try MongoSession(owner: self) }
        do {
            let result = try await body(session)
            await session.end()
            return result
        } catch {
            await session.end()
            throw error
        }
    }

    /// Runs `body` in a multi-document transaction and commits it.
    ///
    /// Follows the drivers' convenient-transaction rules: when `body` or the commit
    /// fails with label `TransientTransactionError` the whole transaction is retried;
    /// when the commit fails with `UnknownTransactionCommitResult` the commit is
    /// retried; both only within `retryLimit` (120 s, as in the other drivers). Any
    /// other error aborts the transaction and is rethrown. `body` may run more than
    /// once, so it must not have side effects outside the database. A retried
    /// transaction first waits a random moment of up to 1, 2, 4 … 64 ms, so transactions
    /// that conflict on one document do not keep colliding in lockstep.
    public func withTransaction<T>(retryLimit: Duration = .seconds(120),
                                   _ body: (MongoSession) async throws -> T) async throws -> T {
        try await withSession { session in
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: retryLimit)
            var attempt = 0
            transaction: while true {
                if attempt > 0 {
                    let ceiling = 1 << min(attempt - 1, 6)
                    try await Task.sleep(for: .microseconds(Int.random(in: 0...(ceiling * 1000))))
                }
                attempt += 1
                try await session.startTransaction()
                let result: T
                do {
                    result = try await body(session)
                } catch {
                    await session.abortTransaction()
                    if let error = error as? MongoError, error.isTransientTransactionError,
                       clock.now < deadline {
                        logger.debug("retrying transaction", metadata: ["error": "\(error)"])
                        continue transaction
                    }
                    throw error
                }
                while true {
                    do {
                        try await session.commitTransaction()
                        return result
                    } catch let error as MongoError {
                        let inTime = clock.now < deadline
                        if error.hasLabel("UnknownTransactionCommitResult"), error.code != 50, inTime {
                            continue
                        }
                        if error.isTransientTransactionError, inTime {
                            continue transaction
                        }
                        throw error
                    }
                }
            }
        }
    }
}

extension MongoError {
    /// Labelled `TransientTransactionError`, or a write conflict / aborted transaction
    /// from a server that does not attach labels.
    var isTransientTransactionError: Bool {
        hasLabel("TransientTransactionError") || kind == .transient
    }
}
