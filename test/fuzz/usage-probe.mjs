// Loaded into each claimplan the fuzz runs (node --import): writes the process's peak
// resident set (kB) and CPU time (µs) to the file the runner names, however the command
// exits. CPU time, unlike the wall clock, does not grow when other work shares the cores.
import { writeFileSync } from 'node:fs';

const file = process.env.CLAIMPLAN_FUZZ_USAGE;
if (file) {
  process.on('exit', () => {
    const { maxRSS, userCPUTime, systemCPUTime } = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ maxRSS, cpuTime: userCPUTime + systemCPUTime }));
  });
}
