import Foundation
import PipelineModel
#if canImport(Glibc)
import Glibc
#endif

/// The scikit-learn side of a training bench: a script of scripts/oracles run by the test
/// venv's Python with a JSON request file, answering JSON on stdout.
///
/// The reference runs with one BLAS/OpenMP thread, like our side: on a shared two-core
/// machine OpenBLAS's spinning worker threads otherwise slow both sides down unevenly.
struct ScikitReference {
    /// The Python with scikit-learn.
    var python: String
    /// Path of the script under the project root.
    var script: String

    /// Runs the script on `request`; its JSON answer.
    func run(_ request: [String: Any]) throws -> [String: Any] {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw BenchFailure("no Python at \(python) (the test venv; pass --python)")
        }
        let input = FileManager.default.temporaryDirectory
            .appendingPathComponent("bench-sklearn-\(getpid())-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: request).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, input.path]
        var environment = ProcessInfo.processInfo.environment
        for name in ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"] { environment[name] = "1" }
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let answer = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw BenchFailure("the scikit-learn reference \(script) failed (is \(python) the test venv?)")
        }
        return answer
    }
}

/// Wall-clock and CPU seconds of one piece of work on the calling thread.
struct WorkTime {
    /// Elapsed wall-clock seconds.
    var wall: Double
    /// CPU seconds of the calling thread (what the work cost, whatever else the machine ran).
    var cpu: Double

    /// Times `work`.
    static func measure<T>(_ work: () throws -> T) rethrows -> (result: T, time: WorkTime) {
        let clock = ContinuousClock()
        let cpuStart = threadCPUSeconds()
        let start = clock.now
        let result = try work()
        let wall = (clock.now - start).inSeconds
        return (result, WorkTime(wall: wall, cpu: threadCPUSeconds() - cpuStart))
    }

    /// CPU time consumed by the calling thread.
    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}
