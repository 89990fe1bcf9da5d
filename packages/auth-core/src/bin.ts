#!/usr/bin/env node
import { runCli } from './cli.js';

process.exitCode = await runCli(
  process.argv.slice(2),
  process.env,
  (line) => process.stdout.write(`${line}\n`),
  (line) => process.stderr.write(`${line}\n`),
);
