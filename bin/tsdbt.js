#!/usr/bin/env node
// The installed `tsdbt` command: runs the bundled CLI (dist/bundle/, made by `npm run build`, which
// `npm ci` runs through the prepare script), or dist/cli/'s modules where no bundle was made.
// CommonJS (bin/package.json), as is the bundle's entry: a start that loads no ES module skips
// initialising Node's ESM loader (~9 ms of CPU, issue 18).
'use strict';
const { existsSync } = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const bundle = path.join(__dirname, '..', 'dist', 'bundle', 'bin.js');
if (existsSync(bundle)) require(bundle);
else void import(pathToFileURL(path.join(__dirname, '..', 'dist', 'cli', 'bin.js')).href);
