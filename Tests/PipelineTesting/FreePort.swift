import Wiring

/// A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0, read it, close).
public func freeLoopbackPort() -> Int {
    do {
        return try LoopbackSocket.freePort()
    } catch {
        preconditionFailure("\(error)")
    }
}
