import ArgumentParser
import Sentiment

/// Which part of the seeded stratified 80/20 split (seed 0) of a data file to use.
enum SplitChoice: String, CaseIterable, ExpressibleByArgument {
    case all, train, test

    func apply(_ items: [LabelledText]) -> [LabelledText] {
        switch self {
        case .all: items
        case .train: CorpusSplit.tweets(items).train
        case .test: CorpusSplit.tweets(items).test
        }
    }
}
