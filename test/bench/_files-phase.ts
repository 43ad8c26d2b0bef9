// One phase of the capsule-file benchmark, run in its own process so its peak RSS is its own:
//   baseline HOME | build HOME N | export HOME FILE [PASS] | import HOME FILE [PASS] | verify FILE [PASS]
// Prints one JSON line: { ms, maxRssMB, sampledPeakMB, anonPeakMB, heapPeakMB, ... }. RSS counts the
// pages of LevelDB's table files it maps to read them (file-backed, the kernel's to drop, growing
// with the store read); anonPeakMB is the anonymous part alone (Linux), the memory the phase needs.
import '../../node/polyfill.js'
import { stat, mkdir, copyFile } from 'node:fs/promises'
import { join } from 'node:path'
import { IDENTITY_FILE, VAULT_FILE } from '../../node/home/index.js'
import { anonKB } from './_util.js'
import { createNode } from '../../node/index.js'
import { verifyCapsuleFile } from '../../node/files/index.js'
import { nativeVerifier } from '../../node/signatures/index.js'

const [phase, a, b, pass] = process.argv.slice(2)
// BENCH_SEARCH=0 opens nodes without the search index, to measure the file code alone.
const search = process.env.BENCH_SEARCH !== '0'
// BENCH_PRIVATE=1: the capsule is private (each frame sealed under its own key); imports go to a
// home holding the owner's identity and vault (BENCH_OWNER_HOME), so every frame key opens.
const privateCapsule = process.env.BENCH_PRIVATE === '1'
let sampled = 0
let anon = 0
let heap = 0
let tick = 0
const timer = setInterval(() => {
  sampled = Math.max(sampled, process.memoryUsage.rss())
  if (++tick % 4 === 0) { anon = Math.max(anon, anonKB()); heap = Math.max(heap, process.memoryUsage().heapUsed) }
}, 5)

function text (i: number): string {
  return `Frame ${i}: the user asked about climbing routes near Lisbon and the assistant suggested Sintra, ` +
    'Cascais and Arrábida, with notes on grades, the best season, approach times and where to rent gear. ' +
    'They agreed to plan a weekend trip in May with two friends who are beginners and need a guide.'
}

let t0 = performance.now()
const out: Record<string, unknown> = {}
if (phase === 'baseline') {
  const node = await createNode({ home: a, network: false, search })
  t0 = performance.now()
  await node.stop()
} else if (phase === 'build') {
  const node = await createNode({ home: a, network: false, search })
  const n = Number(b)
  if (privateCapsule) await node.createCapsule('big', { private: true })
  const base = Date.parse('2023-01-01T00:00:00Z')
  for (let i = 0; i < n; i += 1000) {
    await node.putMany(Array.from({ length: Math.min(1000, n - i) }, (_, j) => ({ text: text(i + j), kind: 'message' as const, role: j % 2 === 0 ? 'user' : 'assistant', conversation: `c${i}`, time: base + (i + j) * 60_000 })), { capsule: 'big' })
  }
  await node.stop()
} else if (phase === 'export') {
  const node = await createNode({ home: a, network: false, search })
  if (search) await node.search('warm') // the search index settles first: time only the export
  t0 = performance.now()
  const r = await node.exportCapsule('big', b, pass != null ? { encrypt: { passphrase: pass } } : {})
  Object.assign(out, { frames: r.frames, commits: r.commits, bytes: r.bytes })
  await node.stop()
} else if (phase === 'import') {
  if (privateCapsule && process.env.BENCH_OWNER_HOME != null) {
    await mkdir(a, { recursive: true })
    for (const f of [IDENTITY_FILE, VAULT_FILE]) await copyFile(join(process.env.BENCH_OWNER_HOME, f), join(a, f))
  }
  const node = await createNode({ home: a, network: false, search })
  if (search) await node.search('warm')
  t0 = performance.now()
  const r = await node.importCapsule(b, { passphrase: pass })
  Object.assign(out, { frames: r.frames.added, commits: r.commits.added, bytes: (await stat(b)).size })
  if (privateCapsule) {
    // Proof the keys came along: every frame of the timeline opens.
    // (not timed: the clock restarts past it)
    const checkFrom = performance.now()
    let opened = 0
    for await (const _ of node.timeline('big')) opened++
    if (opened !== r.frames.added) throw new Error(`only ${opened} of ${r.frames.added} sealed frames open after import`)
    t0 += performance.now() - checkFrom
  }
  await node.stop()
} else if (phase === 'verify') {
  const r = await verifyCapsuleFile(a, { verifier: nativeVerifier(), now: Date.now }, { passphrase: b })
  if (!r.ok) throw new Error(JSON.stringify(r.problems.slice(0, 3)))
  Object.assign(out, { frames: r.frames, commits: r.commits, bytes: (await stat(a)).size })
} else {
  throw new Error(`unknown phase ${phase}`)
}
const ms = performance.now() - t0 // the operation alone (imports, node open and stop excluded)
clearInterval(timer)
anon = Math.max(anon, anonKB())
console.log(JSON.stringify({ ms, maxRssMB: process.resourceUsage().maxRSS / 1024, sampledPeakMB: sampled / 1048576, anonPeakMB: anon / 1024, heapPeakMB: heap / 1048576, ...out }))
