// Child process of the benchmark: parses and compiles one project through the programmatic API,
// then prints one JSON line with the timings and peak memory.
import { compileProject } from '../src/app/compile-all.js';

const dir = process.argv[2] as string;
const result = await compileProject(dir);
process.stdout.write(`${JSON.stringify({ ...result, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
