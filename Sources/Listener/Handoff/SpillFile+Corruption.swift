extension SpillFile {
    /// A damaged stretch of the file that was skipped.
    public struct Corruption: Sendable, Hashable {
        /// What was wrong.
        public enum Reason: String, Sendable, Hashable {
            /// No valid record header here (bad marker, length or header checksum).
            case damagedHeader
            /// The payload does not match its checksum.
            case checksumMismatch
            /// The payload is intact but is not a post.
            case undecodablePost
            /// The last record was cut short (a crash mid-append); truncated on open.
            case tornTail
        }

        /// Byte offset of the damage in the file.
        public var offset: UInt64
        /// Bytes skipped.
        public var length: UInt64
        /// What was wrong.
        public var reason: Reason
    }
}
