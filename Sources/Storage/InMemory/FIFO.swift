import PipelineModel

/// A first-in first-out buffer with amortised O(1) push and pop.
///
/// An array with a moving head; the consumed prefix is dropped once it is larger than
/// the live part, so memory stays proportional to what is queued.
struct FIFO<Element> {
    private var storage: [Element] = []
    private var head = 0

    /// Number of queued elements.
    var count: Int { storage.count - head }
    /// True when nothing is queued.
    var isEmpty: Bool { head == storage.count }
    /// The oldest element, if any.
    var first: Element? { isEmpty ? nil : storage[head] }
    /// The queued elements, oldest first.
    var elements: ArraySlice<Element> { storage[head...] }

    /// Appends at the back.
    mutating func push(_ element: Element) {
        storage.append(element)
    }

    /// Removes and returns the oldest element.
    mutating func pop() -> Element? {
        guard head < storage.count else { return nil }
        let element = storage[head]
        head += 1
        if head == storage.count {
            storage.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 1024 && head * 2 > storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return element
    }

    /// Removes the elements matching `predicate`, keeping the order of the others.
    mutating func removeAll(where predicate: (Element) -> Bool) {
        storage.removeFirst(head)
        head = 0
        storage.removeAll(where: predicate)
    }
}
