import Foundation

/// Upgrade from the JSON-lines spill files of earlier versions (see `LegacySpillConversion`).
extension SpillFile {
    /// Whether the file is in this format (or empty); anything else is a legacy file.
    static func startsWithFileHeader(_ url: URL) throws -> Bool {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let prefix = try handle.read(upToCount: SpillRecord.fileHeader.count) ?? Data()
        return prefix.isEmpty || prefix.elementsEqual(SpillRecord.fileHeader)
    }

    /// Rewrites a legacy JSON-lines file's undrained posts in this format and swaps it in.
    /// Order for crashes: the new file is complete before the rename; a crash before the
    /// rename leaves the legacy file and its sidecar as they were; a crash after it leaves
    /// a legacy sidecar, which `savedOffset` ignores.
    func convertLegacyFile() throws {
        let legacyOffset = (try? String(contentsOf: offsetURL, encoding: .utf8))
            .flatMap { UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
        let converted = url.appendingPathExtension("converting")
        let result = try LegacySpillConversion.convert(from: url, startingAt: legacyOffset, to: converted,
                                                       encoder: encoder, decoder: decoder)
        for offset in result.badLines {
            note(Corruption(offset: offset.offset, length: offset.length, reason: .legacyLine))
        }
        reportedThrough = 0
        if result.posts == 0 {
            try removeIfPresent(converted)
            try removeIfPresent(url)
            try removeIfPresent(offsetURL)
            return
        }
        guard rename(converted.path, url.path) == 0 else {
            throw ListenerError.configuration("cannot replace the spill file \(url.path) with its converted copy")
        }
        try removeIfPresent(offsetURL)
        logger.notice("converted a spill file of an earlier version", metadata: [
            "spill": "\(url.path)", "posts": "\(result.posts)",
        ])
    }
}
