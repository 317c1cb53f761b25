import Wiring
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file or stdin line by line with `getline`, holding one line at a time.
final class LineReader {
    private let file: UnsafeMutablePointer<FILE>
    private let ownsFile: Bool
    private var buffer: UnsafeMutablePointer<CChar>?
    private var capacity = 0
    /// 1-based number of the line last returned.
    private(set) var lineNumber = 0

    /// Opens `path`, or stdin for `-`/nil; throws a one-line failure if it cannot be read.
    init(path: String?) throws {
        if path == nil || path == "-" {
            file = fdopen(STDIN_FILENO, "r")
            ownsFile = false
        } else if let path, let opened = fopen(path, "r") {
            // fopen opens a directory for reading; only the first read fails (EISDIR).
            var status = stat()
            if fstat(fileno(opened), &status) == 0, status.st_mode & mode_t(S_IFMT) == mode_t(S_IFDIR) {
                fclose(opened)
                throw CommandFailure("cannot read \(path): it is a directory")
            }
            file = opened
            ownsFile = true
        } else {
            throw CommandFailure("cannot read \(path ?? "-"): \(String(cString: strerror(errno)))")
        }
    }

    deinit {
        free(buffer)
        if ownsFile { fclose(file) }
    }

    /// The next line without its line terminator (`\n` or `\r\n`), or nil at the end.
    /// Invalid UTF-8 is repaired with U+FFFD rather than rejected.
    func next() throws -> String? {
        let length = getline(&buffer, &capacity, file)
        if length < 0 {
            if ferror(file) != 0 {
                throw CommandFailure("read error after line \(lineNumber): \(String(cString: strerror(errno)))")
            }
            return nil
        }
        lineNumber += 1
        var end = Int(length)
        let bytes = UnsafeRawBufferPointer(start: buffer, count: end)
        if end > 0, bytes[end - 1] == 0x0A { end -= 1 }
        if end > 0, bytes[end - 1] == 0x0D { end -= 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self)
    }
}
