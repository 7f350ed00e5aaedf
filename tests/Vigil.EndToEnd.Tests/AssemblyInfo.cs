// End-to-end tests start whole processes, builds and browsers; on a 2-core machine they run one at a time
// so that one test's start-up does not starve another's browser into a timeout.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
