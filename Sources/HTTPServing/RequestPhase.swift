import NIOCore

/// Where one connection is in its request cycle, shared by the handlers in front of and
/// behind the HTTP decoder. Confined to the connection's event loop.
final class RequestPhase {
    /// True until a request head arrives, and again once its request has been read.
    var awaitingHead = true
    /// Requests whose response has not ended yet.
    var inProgress = 0
    /// The close pending because a head began but has not ended.
    var headerDeadline: Scheduled<Void>?

    let table: ConnectionTable
    let connection: ObjectIdentifier

    init(table: ConnectionTable, connection: ObjectIdentifier) {
        self.table = table
        self.connection = connection
    }

    func headArrived() {
        awaitingHead = false
        headerDeadline?.cancel()
        headerDeadline = nil
        inProgress += 1
        if inProgress == 1 { table.mark(connection, busy: true) }
    }

    func responseEnded() {
        inProgress = max(0, inProgress - 1)
        if inProgress == 0 { table.mark(connection, busy: false) }
    }
}
