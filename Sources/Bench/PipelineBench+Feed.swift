import Foundation

extension PipelineBench {
    /// A feed of `posts` lines written to `url`: `lines` over and over, with fresh post ids
    /// from the second round on, or the replayer's deduplicator would drop the repeats. A
    /// decimal id stays decimal, as X ids are ("9", the round in six digits, the id: unique
    /// per round and line), so dedupe takes the path real ids take. Returns the rounds.
    static func writeRepeatedFeed(_ lines: [Substring], posts: Int, to url: URL) throws -> Int {
        let idPrefix = Array(#"{"data":{"id":""#.utf8)
        let lineBytes = lines.map { Array($0.utf8) }
        var text: [UInt8] = []
        text.reserveCapacity(lineBytes.reduce(0) { $0 + $1.count + 1 } * (posts / lines.count + 1))
        var written = 0
        var round = 0
        while written < posts {
            let padded = Array(String(round).utf8)
            let roundDigits = Array(repeating: UInt8(ascii: "0"), count: max(0, 6 - padded.count)) + padded
            for line in lineBytes where written < posts {
                if round > 0, line.starts(with: idPrefix) {
                    let rest = line[idPrefix.count...]
                    let digits = rest.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
                    let decimal = digits > 0 && rest.dropFirst(digits).first == UInt8(ascii: "\"") && round < 1_000_000
                    text += idPrefix
                    text += decimal ? [UInt8(ascii: "9")] + roundDigits : Array("\(round)-".utf8)
                    text += rest
                } else {
                    text += line
                }
                text.append(UInt8(ascii: "\n"))
                written += 1
            }
            round += 1
        }
        try Data(text).write(to: url)
        return round
    }

    /// User + system CPU time of this process so far, all threads.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
