"""The command-line tools over the core: `verifier` (`cli`), `verifier doctor` (`doctor`)
and the benchmarks (`bench`, `bench_judge`, `bench_server`)."""
