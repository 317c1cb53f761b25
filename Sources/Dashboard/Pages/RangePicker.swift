import Foundation

/// The from/to form beside the range presets: two `datetime-local` inputs, read as UTC.
enum RangePicker {
    static func render(action: String, window: TimeWindow, custom: Bool, hidden: [(String, String)] = []) -> HTML {
        func field(_ name: String, _ date: Date) -> HTML {
            .element("label", [], [
                .text(name + " "),
                .element("input", [("type", "datetime-local"), ("name", name), ("step", "60"),
                                   ("value", String(TimeFormat.iso8601(date).prefix(16)))]),
            ])
        }
        let extra = hidden.map { name, value in
            HTML.element("input", [("type", "hidden"), ("name", name), ("value", value)])
        }
        return .element("form", [("class", "range-picker"), ("method", "get"), ("action", action),
                                 ("aria-current", custom ? "page" : nil)],
                        extra + [field("from", window.start), field("to", window.end),
                                 .element("button", [("type", "submit")], [.text("show (UTC)")])])
    }
}
