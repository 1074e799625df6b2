#!/usr/bin/env node
// The installed `tsdbt` command: runs the bundled CLI (dist/bundle/, made by `npm run build`, which
// `npm ci` runs through the prepare script), or dist/cli/'s modules where no bundle was made.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/bundle/bin.js', import.meta.url);
await import(existsSync(bundle) ? bundle.href : new URL('../dist/cli/bin.js', import.meta.url).href);
