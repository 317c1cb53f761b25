extension MongoSchema {
    /// `alerts`: one document per alert episode, `_id` its stable id, the `Alert` fields
    /// (dates as BSON dates) and `stateOrder` (0 started, 1 updated, 2 ended) so a
    /// conditional upsert keeps the latest transition.
    public enum Alerts {
        /// The collection.
        public static let collection = "alerts"
        /// The alert id.
        public static let id = "_id"
        /// The keyword.
        public static let keyword = "keyword"
        /// Start of the episode's first minute.
        public static let start = "start"
        /// End of its last minute so far.
        public static let end = "end"
        /// The rank of `state`, for the conditional upsert.
        public static let stateOrder = "stateOrder"
        /// Index on (`keyword`, `start`): a keyword's alerts in a range.
        public static let keywordStartIndex = "keyword_start"
        /// Index on `start`: every keyword's alerts in a range.
        public static let startIndex = "start"
    }

    /// `alertOutbox`: one document per (transition, webhook), `_id` "<id>:<state> <url>",
    /// the `AlertDelivery` fields and `delivered`; a delivered one stays (marked) so the
    /// same transition is never queued twice.
    public enum AlertOutbox {
        /// The collection.
        public static let collection = "alertOutbox"
        /// "<key> <target>".
        public static let id = "_id"
        /// Whether it reached its receiver.
        public static let delivered = "delivered"
        /// Not to be tried before.
        public static let notBefore = "notBefore"
        /// Failed attempts.
        public static let attempts = "attempts"
        /// The last failure.
        public static let lastError = "lastError"
        /// Index on (`delivered`, `notBefore`): the due deliveries, oldest first.
        public static let dueIndex = "due"
    }
}
