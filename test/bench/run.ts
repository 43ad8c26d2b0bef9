// `npm run bench [-- name…]` runs every test/bench/*.bench.ts (or the named ones).
// Each module exports `run(args)`, prints a table and writes bench-results/<name>.json.
import '../../node/polyfill.js'
import { readdir } from 'node:fs/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { dirname, join } from 'node:path'

const here = dirname(fileURLToPath(import.meta.url))
const args = process.argv.slice(2)
const names = args.filter(a => !a.startsWith('-'))
const files = (await readdir(here)).filter(f => f.endsWith('.bench.ts')).sort()
const chosen = names.length === 0 ? files : files.filter(f => names.includes(f.replace(/\.bench\.ts$/, '')))
if (chosen.length === 0) {
  console.error(`no benchmark named ${names.join(', ')}; have: ${files.map(f => f.replace(/\.bench\.ts$/, '')).join(', ')}`)
  process.exit(1)
}
for (const file of chosen) {
  console.log(`\n## ${file.replace(/\.bench\.ts$/, '')}\n`)
  const mod = await import(pathToFileURL(join(here, file)).href)
  await mod.run(args.filter(a => a.startsWith('-')))
}
