import Dashboard

/// User errors only the pipeline can cause (on top of the listener's, which
/// `UserErrors.report` knows): a bad dashboard configuration.
enum PipelineUserErrors {
    static func describe(_ error: any Error) -> String? {
        (error as? DashboardConfigurationError)?.description
    }
}
