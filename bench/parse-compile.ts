// Child process of the benchmark: parses and compiles one project through the programmatic API
// (the compiled dist/ build when present, as users run it), then prints one JSON line with the
// timings and peak memory.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type * as CompileAll from '../src/app/compile-all.js';

const dist = fileURLToPath(new URL('../dist/app/compile-all.js', import.meta.url));
const api = (existsSync(dist) ? await import(dist) : await import('../src/app/compile-all.js')) as typeof CompileAll;
const dir = process.argv[2] as string;
const result = await api.compileProject(dir);
process.stdout.write(`${JSON.stringify({ ...result, build: existsSync(dist) ? 'dist' : 'src', peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
