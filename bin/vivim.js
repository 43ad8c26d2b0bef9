#!/usr/bin/env node
// The installed CLI runs the compiled output (built by `npm install` through `prepare`).
import { existsSync } from 'node:fs'

const entry = new URL('../dist/node/cli/bin.js', import.meta.url)
if (!existsSync(entry)) {
  process.stderr.write('vivim: not built yet; run `npm run build` in the vivim folder\n')
  process.exit(1)
}
await import(entry.href)
