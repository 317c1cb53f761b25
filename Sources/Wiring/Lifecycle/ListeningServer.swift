import HTTPServing
import PipelineModel
import Foundation
import Hummingbird
import NIOCore
import ServiceLifecycle

/// An HTTP application run as one part of the process's service group. It settles `port`
/// with the port it bound (the real one for `--port 0`), or with a one-line
/// `CommandFailure` when it cannot listen, so the parts that must not start before the
/// server listens — reading a feed, preparing a database — await `port` first and a busy
/// port stops the run before anything was read.
public struct ListeningServer: Service {
    /// The application (a Hummingbird application is a service).
    public let app: any Service
    /// The bound port, or why there is none.
    public let port: AwaitedValue<Int>
    private let address: String

    /// Wraps `app`, built with `onServerRunning: port.boundPortHook(requested:)`, listening
    /// on `host:requestedPort`.
    public init(app: some ApplicationProtocol, port: AwaitedValue<Int>, host: String, requestedPort: Int) {
        self.app = app
        self.port = port
        self.address = "\(host):\(requestedPort)"
    }

    public func run() async throws {
        do {
            try await app.run()
        } catch {
            let failure = Self.failure(error, address: address)
            port.fail(failure)
            throw failure
        }
        port.fail(CancellationError())
    }

    /// A bind failure as one line naming the address and the reason.
    static func failure(_ error: any Error, address: String) -> any Error {
        if error is CancellationError { return error }
        if let io = error as? IOError {
            switch io.errnoCode {
            case EADDRINUSE: return CommandFailure("cannot listen on \(address): the port is already in use")
            case EACCES: return CommandFailure("cannot listen on \(address): permission denied")
            case EADDRNOTAVAIL: return CommandFailure("cannot listen on \(address): not an address of this machine")
            default: return CommandFailure("cannot listen on \(address): \(String(cString: strerror(io.errnoCode)))")
            }
        }
        if error is SocketAddressError {
            return CommandFailure("cannot listen on \(address): the host name does not resolve")
        }
        return error
    }
}

extension AwaitedValue where Value == Int {
    /// The `onServerRunning` hook of an application that settles this value with the
    /// port the server bound.
    public func boundPortHook(requested: Int) -> @Sendable (any Channel) async -> Void {
        { channel in self.succeed(channel.localAddress?.port ?? requested) }
    }
}
