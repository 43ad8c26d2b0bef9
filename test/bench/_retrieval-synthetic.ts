// A 100,000-frame synthetic corpus (seeded): Zipf-distributed words over a made-up vocabulary,
// conversations of 20 turns. Measures search latency (vivim vs MiniSearch on the same docs),
// build time, and open/first-search time from a persisted level index.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Level } from 'level'
import MiniSearch from 'minisearch'
import { createSearchIndex, type IndexedDoc } from '../../node/context/index.js'
import { median, percentile } from './_util.js'

function rng (seed: number): () => number {
  let s = seed >>> 0
  return () => { s = (s + 0x6D2B79F5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296 }
}

export function syntheticCorpus (n: number, seed = 42): { docs: IndexedDoc[], queries: string[] } {
  const r = rng(seed)
  const syll = ['ka', 'lo', 'mi', 'ren', 'to', 'sa', 'vel', 'qu', 'an', 'dor', 'is', 'ne', 'bra', 'po', 'lu', 'zen', 'ti', 'mar', 'go', 'fe']
  const vocab: string[] = []
  const seen = new Set<string>()
  while (vocab.length < 30_000) {
    const len = 2 + Math.floor(r() * 3)
    let w = ''
    for (let i = 0; i < len; i++) w += syll[Math.floor(r() * syll.length)]
    if (!seen.has(w)) { seen.add(w); vocab.push(w) }
  }
  // Zipf(1.07) sampling by inverse CDF over precomputed cumulative weights.
  const cum = new Float64Array(vocab.length)
  let acc = 0
  for (let i = 0; i < vocab.length; i++) { acc += 1 / Math.pow(i + 1, 1.07); cum[i] = acc }
  const word = (): string => {
    const x = r() * acc
    let lo = 0; let hi = cum.length - 1
    while (lo < hi) { const m = (lo + hi) >> 1; if (cum[m] < x) lo = m + 1; else hi = m }
    return vocab[lo]
  }
  const docs: IndexedDoc[] = []
  const t0 = Date.UTC(2023, 0, 1)
  for (let i = 0; i < n; i++) {
    const len = 8 + Math.floor(r() * 40)
    const words: string[] = []
    for (let j = 0; j < len; j++) words.push(word())
    docs.push({
      cid: `syn-${i}`, text: words.join(' ') + '.', uri: `syn://c${Math.floor(i / 20)}/${i % 20}`, tags: { topic: `t${i % 50}` },
      time: t0 + i * 60_000, capsule: `cap-${i % 10}`, kind: 'message', role: i % 2 === 0 ? 'user' : 'assistant', conversation: `c${Math.floor(i / 20)}`
    })
  }
  const queries: string[] = []
  for (let i = 0; i < 300; i++) {
    const d = docs[Math.floor(r() * n)].text.replace('.', '').split(' ')
    const k = 2 + Math.floor(r() * 4)
    const start = Math.floor(r() * Math.max(1, d.length - k))
    queries.push(d.slice(start, start + k).join(' '))
  }
  return { docs, queries }
}

export async function syntheticLatency (n: number): Promise<Record<string, unknown>> {
  const { docs, queries } = syntheticCorpus(n)
  const dir = await mkdtemp(join(tmpdir(), 'vivim-bench-'))
  const db = new Level<string, unknown>(dir)
  try {
    let ix = createSearchIndex({ db: db.sublevel('search') })
    await ix.open()
    let t = performance.now()
    for (let i = 0; i < docs.length; i += 1000) await ix.add(docs.slice(i, i + 1000))
    const buildMs = performance.now() - t
    await ix.close()
    ix = createSearchIndex({ db: db.sublevel('search') })
    t = performance.now()
    await ix.open()
    const openMs = performance.now() - t
    await ix.search('warmup', { topK: 10 })
    const loadMs = performance.now() - t
    // Each query timed three times, its median kept (as in the LoCoMo part).
    const timed = async (fn: () => unknown): Promise<number> => {
      const ts: number[] = []
      for (let i = 0; i < 3; i++) { const s = performance.now(); await fn(); ts.push(performance.now() - s) }
      return median(ts)
    }
    const ours: number[] = []
    for (const q of queries) ours.push(await timed(async () => await ix.search(q, { topK: 10, naturalTime: false })))
    const filtered: number[] = []
    for (const q of queries) filtered.push(await timed(async () => await ix.search(q, { topK: 10, capsule: 'cap-3', naturalTime: false })))
    await ix.close()
    const mini = new MiniSearch({ fields: ['text'], idField: 'cid' })
    t = performance.now()
    mini.addAll(docs.map(d => ({ cid: d.cid, text: d.text })))
    const miniBuildMs = performance.now() - t
    // MiniSearch is slow here (no pruning): one timing per query keeps the run short.
    const theirs: number[] = []
    for (const q of queries) { const s = performance.now(); mini.search(q).slice(0, 10); theirs.push(performance.now() - s) }
    const out = {
      docs: n,
      vivim: { p50: median(ours), p99: percentile(ours, 99), capsuleFilteredP50: median(filtered), buildMs, openMs, openPlusLoadMs: loadMs },
      minisearch: { p50: median(theirs), p99: percentile(theirs, 99), buildMs: miniBuildMs }
    }
    console.log(`\n${n.toLocaleString('en')}-frame synthetic corpus (${queries.length} queries, top 10):`)
    console.log(`  vivim       p50 ${out.vivim.p50.toFixed(2)} ms  p99 ${out.vivim.p99.toFixed(2)} ms  (capsule-filtered p50 ${out.vivim.capsuleFilteredP50.toFixed(2)} ms)  build ${(buildMs / 1000).toFixed(1)} s`)
    console.log(`  minisearch  p50 ${out.minisearch.p50.toFixed(2)} ms  p99 ${out.minisearch.p99.toFixed(2)} ms  build ${(miniBuildMs / 1000).toFixed(1)} s`)
    console.log(`  vivim ${(out.minisearch.p50 / out.vivim.p50).toFixed(1)}x faster than MiniSearch at p50`)
    console.log(`  reopen from level: open() ${openMs.toFixed(1)} ms, first search after background load ${loadMs.toFixed(0)} ms`)
    return out
  } finally {
    await db.close()
    await rm(dir, { recursive: true, force: true })
  }
}
