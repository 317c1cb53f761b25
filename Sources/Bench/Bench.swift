import ArgumentParser

/// Benchmarks that compare this project with the reference tools in the same run and
/// print ratios. Each area adds its subcommand here.
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Side-by-side benchmarks against the reference tools; prints ratios.",
        subcommands: [
            LexiconBench.self,
            BayesBench.self,
            LogisticBench.self,
            TrainBench.self,
            HybridBench.self,
            ListenerBench.self,
            ListenerMemoryBench.self,
            ConsumerBench.self,
            PipelineBench.self,
            RetentionBench.self,
            DashboardBench.self,
            MongoBench.self,
            ArchiveBench.self,
            AlertsBench.self,
        ]
    )
}
