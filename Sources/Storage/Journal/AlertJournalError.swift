/// The alert journal cannot be opened or written: one line naming the file.
public struct AlertJournalError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, with the path.
    public let description: String

    init(_ description: String) { self.description = description }
}
