// Capsule-file benchmark: export and import throughput (MB/s, frames/s) of a BENCH_FRAMES-frame
// capsule (default 100,000), plain and encrypted (default scrypt cost, KDF included), and each
// phase's peak RSS measured in its own process. Memory must not grow with the file: every phase
// also runs at a quarter of the size (or at every size BENCH_SIZES lists, e.g. 100000,200000), and
// the table shows each peak: RSS (which counts the LevelDB table files mapped to read them) and
// its anonymous part (the memory the phase needs; Linux). Peers on the same bytes in
// the same run: @ipld/car's iterator + sha-256 of every block (the floor of a verified read) and
// noble's XChaCha20-Poly1305 over the CAR (the floor of decryption). BENCH_SEARCH=0 opens the nodes
// without the search index, so the file code is measured alone (import then skips indexing).
// BENCH_PRIVATE=1 makes the capsule private (sealed frames, epoch blocks and frame-key bundles in the
// file) and imports it into a home holding the owner's keys, which checks every frame opens.
import { spawn } from 'node:child_process'
import { mkdtemp, rm, readFile } from 'node:fs/promises'
import { createReadStream } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CarBlockIterator } from '@ipld/car'
import { sha256 } from '@noble/hashes/sha2.js'
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import { median, writeResults } from './_util.js'

const FRAMES = Number(process.env.BENCH_FRAMES ?? 100_000)
const SIZES = process.env.BENCH_SIZES != null ? process.env.BENCH_SIZES.split(',').map(Number) : [Math.floor(FRAMES / 4), FRAMES]
const LARGEST = Math.max(...SIZES)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const PHASE = fileURLToPath(new URL('./_files-phase.ts', import.meta.url))
const PASS = 'correct horse battery staple'
/** JS heap cap for the streaming demonstration (the scrypt buffer, 128 MiB, is outside the JS heap). */
const HEAP_CAP_MB = Number(process.env.BENCH_HEAP_CAP_MB ?? 96)

interface PhaseResult { ms: number, maxRssMB: number, sampledPeakMB: number, anonPeakMB: number, heapPeakMB: number, frames?: number, bytes?: number }

async function phase (...args: string[]): Promise<PhaseResult> { return await phaseWith([], ...args) }

async function phaseWith (flags: string[], ...args: string[]): Promise<PhaseResult> {
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', PHASE, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''; let err = ''
  child.stdout.on('data', d => { out += String(d) })
  child.stderr.on('data', d => { err += String(d) })
  const code = await new Promise<number>(resolve => child.on('close', c => resolve(c ?? -1)))
  if (code !== 0) throw new Error(`phase ${args[0]} failed: ${err.trim().split('\n').slice(-3).join(' ')}`)
  return JSON.parse(out.trim().split('\n').pop() as string)
}

async function floorCar (file: string): Promise<number> {
  const t = performance.now()
  const it = await CarBlockIterator.fromIterable(createReadStream(file, { highWaterMark: 64 * 1024 }))
  for await (const { bytes } of it) sha256(bytes)
  return performance.now() - t
}

async function floorCipher (file: string): Promise<number> {
  const data = await readFile(file)
  const key = new Uint8Array(32); const nonce = new Uint8Array(24); const aad = new Uint8Array(65)
  const t = performance.now()
  for (let o = 0; o < data.length; o += 65536) xchacha20poly1305(key, nonce, aad).encrypt(data.subarray(o, o + 65536))
  return performance.now() - t
}

export async function run (_args: string[]): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'vivim-bench-files-'))
  const results: Record<string, unknown> = { frames: LARGEST, sizes: SIZES, runs: RUNS }
  const rows: string[][] = []
  try {
    const base = await phase('baseline', join(dir, 'baseline'))
    results.baselineRssMB = base.maxRssMB
    results.baselineAnonMB = base.anonPeakMB
    rows.push(['', 'baseline: a process that opens and stops a node', '', '', '', `peak RSS ${base.maxRssMB.toFixed(0)} MB`, `anon ${base.anonPeakMB.toFixed(0)} MB`, ''])
    for (const n of SIZES) {
      const src = join(dir, `src-${n}`)
      await phase('build', src, String(n))
      process.env.BENCH_OWNER_HOME = src // (BENCH_PRIVATE=1: imports go to a home with the owner's keys)
      const car = join(dir, `big-${n}.car`)
      const enc = join(dir, `big-${n}.vivim`)
      const size: Record<string, Record<string, PhaseResult[]>> = { plain: { export: [], import: [], verify: [] }, encrypted: { export: [], import: [], verify: [] } }
      for (let r = 0; r < RUNS; r++) {
        size.plain.export.push(await phase('export', src, car))
        size.encrypted.export.push(await phase('export', src, enc, PASS))
        size.plain.verify.push(await phase('verify', car))
        size.encrypted.verify.push(await phase('verify', enc, PASS))
        const h1 = join(dir, `dst-${n}-p-${r}`); const h2 = join(dir, `dst-${n}-e-${r}`)
        size.plain.import.push(await phase('import', h1, car))
        size.encrypted.import.push(await phase('import', h2, enc, PASS))
        await rm(h1, { recursive: true, force: true }); await rm(h2, { recursive: true, force: true })
      }
      const floors = { carIterSha: median(await Promise.all([0, 1, 2].map(async () => await floorCar(car)))), cipher: median([await floorCipher(car), await floorCipher(car), await floorCipher(car)]) }
      const summary: Record<string, unknown> = { floors }
      for (const form of ['plain', 'encrypted'] as const) {
        for (const op of ['export', 'import', 'verify'] as const) {
          const xs = size[form][op]
          const ms = median(xs.map(x => x.ms))
          const bytes = xs[0].bytes ?? 0
          const frames = op === 'import' ? n : (xs[0].frames ?? n)
          const s = { ms, mbPerSec: bytes / 1e6 / (ms / 1000), framesPerSec: frames / (ms / 1000), bytes, peakRssMB: Math.max(...xs.map(x => x.maxRssMB)), sampledPeakMB: Math.max(...xs.map(x => x.sampledPeakMB)), anonPeakMB: Math.max(...xs.map(x => x.anonPeakMB)), heapPeakMB: Math.max(...xs.map(x => x.heapPeakMB)) }
          summary[`${form}.${op}`] = s
          rows.push([`${n.toLocaleString()} frames`, `${form} ${op}`, `${s.mbPerSec.toFixed(1)} MB/s`, `${Math.round(s.framesPerSec).toLocaleString()} frames/s`, `${(ms / 1000).toFixed(2)} s`, `peak RSS ${s.peakRssMB.toFixed(0)} MB`, `anon ${s.anonPeakMB.toFixed(0)} MB`, `${(bytes / 1e6).toFixed(1)} MB file`])
        }
      }
      const carBytes = (size.plain.export[0].bytes ?? 0)
      rows.push([`${n.toLocaleString()} frames`, 'floor: @ipld/car iterate + sha-256', `${(carBytes / 1e6 / (floors.carIterSha / 1000)).toFixed(1)} MB/s`, '', `${(floors.carIterSha / 1000).toFixed(2)} s`, '', '', ''])
      rows.push([`${n.toLocaleString()} frames`, 'floor: XChaCha20-Poly1305 only', `${(carBytes / 1e6 / (floors.cipher / 1000)).toFixed(1)} MB/s`, '', `${(floors.cipher / 1000).toFixed(2)} s`, '', '', ''])
      // Streaming, shown directly: the largest file verified (plain and encrypted) with the JS heap capped.
      if (n === LARGEST) {
        for (const [form, file, pass] of [['plain', car, undefined], ['encrypted', enc, PASS]] as const) {
          const capped = await phaseWith([`--max-old-space-size=${HEAP_CAP_MB}`], 'verify', file, ...(pass != null ? [pass] : [])).then(r => r, () => undefined)
          summary[`${form}.verifyHeapCapped`] = { heapCapMB: HEAP_CAP_MB, ok: capped != null, ms: capped?.ms, peakRssMB: capped?.maxRssMB, anonPeakMB: capped?.anonPeakMB }
          rows.push([`${n.toLocaleString()} frames`, `${form} verify, JS heap capped at ${HEAP_CAP_MB} MB`, capped != null ? `${((capped.bytes ?? 0) / 1e6 / (capped.ms / 1000)).toFixed(1)} MB/s` : 'FAILED', '', capped != null ? `${(capped.ms / 1000).toFixed(2)} s` : '', capped != null ? `peak RSS ${capped.maxRssMB.toFixed(0)} MB` : '', capped != null ? `anon ${capped.anonPeakMB.toFixed(0)} MB` : '', ''])
        }
        // And the import, which before kept every frame's metadata and index entries in memory.
        const h = join(dir, `dst-${n}-capped`)
        const capped = await phaseWith([`--max-old-space-size=${HEAP_CAP_MB}`], 'import', h, car).then(r => r, () => undefined)
        await rm(h, { recursive: true, force: true })
        summary['plain.importHeapCapped'] = { heapCapMB: HEAP_CAP_MB, ok: capped != null, ms: capped?.ms, peakRssMB: capped?.maxRssMB, anonPeakMB: capped?.anonPeakMB }
        rows.push([`${n.toLocaleString()} frames`, `plain import, JS heap capped at ${HEAP_CAP_MB} MB`, capped != null ? `${((capped.bytes ?? 0) / 1e6 / (capped.ms / 1000)).toFixed(1)} MB/s` : 'FAILED', '', capped != null ? `${(capped.ms / 1000).toFixed(2)} s` : '', capped != null ? `peak RSS ${capped.maxRssMB.toFixed(0)} MB` : '', capped != null ? `anon ${capped.anonPeakMB.toFixed(0)} MB` : '', ''])
      }
      results[String(n)] = summary
      await rm(src, { recursive: true, force: true })
    }
    const widths = rows[0].map((_, i) => Math.max(...rows.map(r => r[i].length)))
    for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '))
    console.log(`(median of ${RUNS} runs; each phase in its own process, timed without node open/stop; peak RSS is the process's maxRSS, runtime included: compare with the baseline; anon is its anonymous part, sampled; encrypted phases include scrypt at the default cost, 128 MiB)`)
    results.search = process.env.BENCH_SEARCH !== '0'
    results.private = process.env.BENCH_PRIVATE === '1'
    await writeResults(`files${process.env.BENCH_SEARCH === '0' ? '-nosearch' : ''}${process.env.BENCH_PRIVATE === '1' ? '-private' : ''}`, results)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
