// Child of capture.bench.ts (plain JavaScript, so it also runs without tsx): imports an export
// into a real offline node and prints one JSON line. `entry` is the folder of the node's
// index.js: the sources (run under `--import tsx`) or a compiled build (run by plain node, as the
// installed CLI runs).
//   node [--import tsx] _capture-node.mjs <entry> <export file> <marker word>
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const [entry, file, marker] = process.argv.slice(2)
/** Anonymous resident memory in KiB (Linux; 0 elsewhere): RSS less mapped files. */
const anonKB = () => { try { return Number(/RssAnon:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) } catch { return 0 } }

await import(pathToFileURL(join(entry, 'polyfill.js')).href)
const { createNode } = await import(pathToFileURL(join(entry, 'index.js')).href)
let anon = anonKB()
let ticks = 0
const timer = setInterval(() => { if (++ticks % 4 === 0) anon = Math.max(anon, anonKB()) }, 20)
const home = await mkdtemp(join(tmpdir(), 'vivim-capture-bench-home-'))
const node = await createNode({ home, network: false })
let searchable = NaN
let done = false
const start = performance.now()
// The time until the first conversation is found by search.
const poll = (async () => {
  while (!done && Number.isNaN(searchable)) {
    const hits = await node.search(marker, { topK: 1 }).catch(() => [])
    if (hits.length > 0) searchable = performance.now() - start
    else await new Promise(resolve => setTimeout(resolve, 25))
  }
})()
let r
try {
  r = await node.import(file)
  done = true
  await poll
} finally {
  done = true
  await node.stop()
  await rm(home, { recursive: true, force: true })
}
const seconds = (performance.now() - start) / 1000
clearInterval(timer)
console.log(JSON.stringify({ conversations: r.conversations, messages: r.messages, added: r.added, firstStoredMs: searchable, seconds, peakRssMB: process.resourceUsage().maxRSS / 1024, sampledPeakRssMB: process.memoryUsage().rss / 1048576, anonPeakMB: Math.max(anon, anonKB()) / 1024 }))
