// Loaded with `node --import` before a benchmark (bench:compare and bench:all with --clock=cpu): replaces
// process.hrtime.bigint, which benchmarks (ours and the baseline ../shared/bench/mmc_fast.js alike) read around
// their timed loop, with the process's CPU time (user + system, every thread) in nanoseconds. On a shared machine
// wall time counts the time other processes held the cores; CPU time mostly does not, so ratios of it vary far
// less between runs (measured on the 2-core machine at load 10: runs of the same build within 2-3% on CPU time,
// up to 2x on wall time). It is a different figure: JIT and GC threads count, waiting does not.
process.hrtime.bigint = (): bigint => {
  const usage = process.cpuUsage();
  return BigInt(usage.user + usage.system) * 1000n;
};
