extension StreamFeed {
    /// `GET /2/tweets/search/stream/rules`: optionally filtered by `ids`, paged by
    /// `max_results` / `pagination_token` (an offset).
    func listRules(ids: [String]?, maxResults: Int, paginationToken: String?) -> [UInt8] {
        ruleRequests += 1
        var rules = ruleBook.rules
        if let ids { rules = rules.filter { ids.contains($0.id) } }
        let offset = paginationToken.flatMap(Int.init) ?? 0
        let page = Array(rules.dropFirst(offset).prefix(maxResults))
        let next = offset + page.count < rules.count ? String(offset + page.count) : nil
        let response = RulesAPI.ListResponse(
            data: page.isEmpty ? nil : page.map(RuleEntry.init),
            meta: .init(sent: RulesAPI.timestamp(), resultCount: page.count, nextToken: next))
        return RulesAPI.encode(response)
    }

    /// `POST /2/tweets/search/stream/rules` with an `add` list.
    func addRules(_ additions: [RuleBook.Addition], dryRun: Bool) -> [UInt8] {
        ruleRequests += 1
        let outcome = ruleBook.add(additions, dryRun: dryRun)
        let errors = outcome.rejected.map { rejection -> RulesAPI.WriteResponse.Problem in
            switch rejection {
            case .invalid(let value, let reason):
                .init(value: value, details: [reason.description], title: "UnprocessableEntity",
                      type: "https://api.twitter.com/2/problems/invalid-rules")
            case .duplicate(let value, let id):
                .init(value: value, id: id, title: "DuplicateRule",
                      type: "https://api.twitter.com/2/problems/duplicate-rules")
            case .limitReached(let value, let limit):
                .init(value: value, details: ["Rule limit of \(limit) reached."], title: "RulesCapExceeded",
                      type: "https://api.twitter.com/2/problems/rule-cap")
            }
        }
        let summary = RulesAPI.WriteResponse.Summary(
            created: outcome.created.count, notCreated: additions.count - outcome.created.count,
            valid: outcome.valid, invalid: outcome.invalid)
        let response = RulesAPI.WriteResponse(
            data: outcome.created.isEmpty ? nil : outcome.created.map(RuleEntry.init),
            meta: .init(sent: RulesAPI.timestamp(), summary: summary),
            errors: errors.isEmpty ? nil : errors)
        return RulesAPI.encode(response)
    }

    /// `POST /2/tweets/search/stream/rules` with a `delete` object.
    func deleteRules(ids: [String], values: [String], dryRun: Bool) -> [UInt8] {
        ruleRequests += 1
        let outcome = ruleBook.delete(ids: ids, values: values, dryRun: dryRun)
        let errors = outcome.notFound.map {
            RulesAPI.WriteResponse.Problem(value: $0, details: ["Rule does not exist."], title: "Not Found Error",
                                           type: "https://api.twitter.com/2/problems/resource-not-found")
        }
        let response = RulesAPI.WriteResponse(
            meta: .init(sent: RulesAPI.timestamp(),
                        summary: .init(deleted: outcome.deleted.count, notDeleted: outcome.notFound.count)),
            errors: errors.isEmpty ? nil : errors)
        return RulesAPI.encode(response)
    }

    /// Counts a rules request that was refused before reaching the rule book.
    func countRuleRequest() {
        ruleRequests += 1
    }
}
