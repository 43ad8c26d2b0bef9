// Store benchmark: put+commit throughput (single, concurrent, batches of 1,000; the store alone and
// with the search index), asOf on a
// 100,000-frame capsule, and the open time of a home holding 100,000 frames. Compared in the
// same run with the floor every store pays: dag-cbor encoding plus sha-256 of the same frames
// (by @ipld/dag-cbor and multiformats, and by vivim's own encoding path), and a raw LevelDB batch
// write of the same blocks.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Level } from 'level'
import { createNode } from '../../node/index.js'
import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import type { Digest } from 'multiformats/hashes/digest'
import { createFrame, encodeFrame } from '../../dag/index.js'
import { Ed25519Key } from '../../capabilities/index.js'
import { median, writeResults } from './_util.js'

const FRAMES = Number(process.env.BENCH_FRAMES ?? 100_000)
const BATCH = 1000

function text (i: number): string {
  // About 466 bytes once encoded as a frame with its fields.
  return `Frame ${i}: the user asked about climbing routes near Lisbon and the assistant suggested Sintra, ` +
    'Cascais and Arrábida, with notes on grades, the best season, approach times and where to rent gear. ' +
    'They agreed to plan a weekend trip in May with two friends who are beginners and need a guide.'
}

async function time<T> (fn: () => Promise<T>): Promise<{ ms: number, value: T }> {
  const t = performance.now()
  const value = await fn()
  return { ms: performance.now() - t, value }
}

export async function run (_args: string[]): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'vivim-bench-store-'))
  const rows: Array<[string, string, string]> = []
  const results: Record<string, unknown> = { frames: FRAMES }
  try {
    // Floor 1: encode + hash only, by the libraries (@ipld/dag-cbor, multiformats' sha-256 and CID),
    // and by vivim's own path (its dag-cbor fast path and one-shot sha-256); a CID each, no string.
    const key = Ed25519Key.generate()
    const sample = encodeFrame(createFrame({ text: text(0), author: key.did, kind: 'message', role: 'user', conversation: 'c1', time: 1 })).bytes.length
    const encodeRuns: number[] = []
    const oursRuns: number[] = []
    for (let r = 0; r < 5; r++) {
      let t = performance.now()
      for (let i = 0; i < 20_000; i++) {
        const bytes = dagCbor.encode(createFrame({ text: text(i), author: key.did, kind: 'message', role: 'user', conversation: 'c1', time: i }))
        CID.createV1(dagCbor.code, sha256.digest(bytes) as Digest<0x12, 32>)
      }
      encodeRuns.push(20_000 / ((performance.now() - t) / 1000))
      t = performance.now()
      for (let i = 0; i < 20_000; i++) encodeFrame(createFrame({ text: text(i), author: key.did, kind: 'message', role: 'user', conversation: 'c1', time: i }))
      oursRuns.push(20_000 / ((performance.now() - t) / 1000))
    }
    const encodePerSec = median(encodeRuns)
    const oursPerSec = median(oursRuns)

    // Floor 2: raw LevelDB batch of the same blocks.
    const raw = new Level<string, Uint8Array>(join(dir, 'raw'), { valueEncoding: 'view' })
    await raw.open()
    const rawRuns: number[] = []
    for (let r = 0; r < 5; r++) {
      const blocks = Array.from({ length: BATCH }, (_, i) => encodeFrame(createFrame({ text: text(r * BATCH + i), author: key.did, time: i })))
      const t = performance.now()
      await raw.batch(blocks.map(b => ({ type: 'put' as const, key: b.cid.toString(), value: b.bytes })), { sync: true } as any)
      rawRuns.push(BATCH / ((performance.now() - t) / 1000))
    }
    await raw.close()
    const rawPerSec = median(rawRuns)

    // The store itself (search: false): what the DAG, its indexes and the fsynced commits cost.
    const home = join(dir, 'home')
    let node = await createNode({ home, network: false, search: false })

    // Single puts, each awaited (one fsync each).
    const singleRuns: number[] = []
    for (let r = 0; r < 3; r++) {
      const { ms } = await time(async () => { for (let i = 0; i < 300; i++) await node.put({ text: text(i), capsule: 'single' }) })
      singleRuns.push(300 / (ms / 1000))
    }
    // Concurrent single puts: group commit.
    const concRuns: number[] = []
    for (let r = 0; r < 3; r++) {
      const { ms } = await time(async () => { await Promise.all(Array.from({ length: 5000 }, (_, i) => node.put({ text: text(i), capsule: 'concurrent' }))) })
      concRuns.push(5000 / (ms / 1000))
    }
    // Batches of 1,000 into one capsule until it holds FRAMES frames.
    const batchRuns: number[] = []
    const base = Date.parse('2023-01-01T00:00:00Z')
    for (let b = 0; b < FRAMES / BATCH; b++) {
      const inputs = Array.from({ length: BATCH }, (_, i) => ({ text: text(b * BATCH + i), kind: 'message' as const, role: i % 2 === 0 ? 'user' : 'assistant', conversation: `c${b}`, time: base + (b * BATCH + i) * 60_000 }))
      const { ms } = await time(async () => await node.putMany(inputs, { capsule: 'big' }))
      batchRuns.push(BATCH / (ms / 1000))
    }
    const log = await node.log('big')
    await node.stop()

    // The same batches with the search index kept in step (a put resolves once searchable).
    const searchHome = join(dir, 'search-home')
    const searching = await createNode({ home: searchHome, network: false })
    const searchRuns: number[] = []
    const SEARCH_FRAMES = Math.min(FRAMES, 20_000)
    for (let b = 0; b < SEARCH_FRAMES / BATCH; b++) {
      const inputs = Array.from({ length: BATCH }, (_, i) => ({ text: text(b * BATCH + i), kind: 'message' as const, role: i % 2 === 0 ? 'user' : 'assistant', conversation: `c${b}`, time: base + (b * BATCH + i) * 60_000 }))
      const { ms } = await time(async () => await searching.putMany(inputs, { capsule: 'big' }))
      searchRuns.push(BATCH / (ms / 1000))
    }
    await searching.stop()

    // Open time of the home holding FRAMES (+ ~15k) frames, fresh each time.
    const openRuns: number[] = []
    for (let r = 0; r < 7; r++) {
      const { ms, value } = await time(async () => await createNode({ home, network: false, search: false }))
      openRuns.push(ms)
      await value.stop()
    }
    // asOf the middle commit (by CID), and by time, from a freshly opened node (cold caches) and warm.
    node = await createNode({ home, network: false, search: false })
    const mid = log[Math.floor(log.length / 2)]
    const asOfCold = await time(async () => await node.state('big', { asOf: mid.cid }))
    const asOfWarm: number[] = []; const asOfTime: number[] = []; const headState: number[] = []
    for (let r = 0; r < 7; r++) {
      asOfWarm.push((await time(async () => await node.state('big', { asOf: mid.cid }))).ms)
      asOfTime.push((await time(async () => await node.state('big', { asOf: mid.time }))).ms)
    }
    await node.stop()
    for (let r = 0; r < 3; r++) {
      node = await createNode({ home, network: false, search: false })
      headState.push((await time(async () => await node.state('big'))).ms)
      await node.stop()
    }

    const batched = median(batchRuns)
    Object.assign(results, {
      frameBytes: sample,
      encodeHashPerSec: encodePerSec,
      encodeHashOursPerSec: oursPerSec,
      rawLevelBatchPerSec: rawPerSec,
      singlePutPerSec: median(singleRuns),
      concurrentPutPerSec: median(concRuns),
      batchedPutPerSec: batched,
      batchedPutWithSearchPerSec: median(searchRuns),
      openMs: median(openRuns),
      asOfCommitColdMs: asOfCold.ms,
      asOfCommitWarmMs: median(asOfWarm),
      asOfTimeMs: median(asOfTime),
      headStateColdMs: median(headState),
      asOfLiveFrames: asOfCold.value.live.size
    })
    rows.push(
      ['frame size (bytes)', String(sample), ''],
      ['floor: @ipld/dag-cbor + sha-256 (multiformats)', `${Math.round(encodePerSec).toLocaleString()} frames/s`, 'median of 5 × 20,000'],
      ['vivim encodeFrame (same frames)', `${Math.round(oursPerSec).toLocaleString()} frames/s`, `median of 5 × 20,000; ${(oursPerSec / encodePerSec).toFixed(2)}× the libraries`],
      ['floor: raw LevelDB batch (fsync)', `${Math.round(rawPerSec).toLocaleString()} frames/s`, 'median of 5 × 1,000'],
      ['put, one at a time (fsync each)', `${Math.round(median(singleRuns)).toLocaleString()} frames/s`, 'median of 3 × 300'],
      ['put, 5,000 concurrent (group commit)', `${Math.round(median(concRuns)).toLocaleString()} frames/s`, 'median of 3'],
      ['putMany, batches of 1,000', `${Math.round(batched).toLocaleString()} frames/s`, `median of ${batchRuns.length}; ${(batched / rawPerSec * 100).toFixed(0)}% of the raw LevelDB batch; target ≥ 50,000`],
      ['putMany, batches of 1,000, with search index', `${Math.round(median(searchRuns)).toLocaleString()} frames/s`, `median of ${searchRuns.length} (${SEARCH_FRAMES / 1000}k frames; tokenizing and BM25 postings included)`],
      ['open, home with ' + (FRAMES / 1000) + 'k frames', `${median(openRuns).toFixed(1)} ms`, 'median of 7; target ≤ 300 ms'],
      [`asOf middle commit (${FRAMES / 1000}k capsule), cold`, `${asOfCold.ms.toFixed(1)} ms`, `${asOfCold.value.live.size.toLocaleString()} live frames`],
      ['asOf middle commit, warm', `${median(asOfWarm).toFixed(1)} ms`, 'median of 7'],
      ['asOf a time', `${median(asOfTime).toFixed(1)} ms`, 'median of 7'],
      ['current state after open (cold)', `${median(headState).toFixed(1)} ms`, 'median of 3']
    )
    const w = Math.max(...rows.map(r => r[0].length))
    const w2 = Math.max(...rows.map(r => r[1].length))
    for (const [a, b, c] of rows) console.log(`${a.padEnd(w)}  ${b.padStart(w2)}  ${c}`)
    await writeResults('store', results)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
