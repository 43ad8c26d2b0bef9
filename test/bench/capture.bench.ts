/**
 * Capture benchmark: a synthetic ChatGPT export (200 MB by default) is
 * generated into os.tmpdir(), then imported in a fresh child process into
 * an in-memory sink double (keeps uris and counts, not text, as a node
 * keeps text on disk). Reports messages/s, time until the first
 * conversation is stored, and the child's peak RSS (must stay < 300 MB).
 * Peers on the same file, each in its own child process: the naive way
 * (`JSON.parse` of the whole file) and stream-json 1.9's StreamArray
 * (parsing only; stream-json 3 needs Node 22).
 *
 *   npm run bench -- capture [--mb=200] [--runs=1] [--no-peer] [--node]
 *
 * `--node` also imports the file into a real offline node (createNode) and
 * reports the time until the first conversation is found by `search`: once from
 * the sources under tsx (as the tests run), once compiled by tsc into a temporary
 * folder and run by plain node (as the installed CLI runs; tsx's loader thread
 * alone holds about 50 MB).
 */
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { createWriteStream } from 'node:fs'
import { mkdtemp, rm, stat, symlink } from 'node:fs/promises'
import { freemem, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { once } from 'node:events'
import { anonKB, median, writeResults } from './_util.js'

const RSS_LIMIT_MB = 300
/** A word only the first conversation holds: searching it tells when that conversation is searchable. */
const FIRST_MARKER = 'zanzibarfirstconversation'
const WORDS = 'memory frame capsule branch thread answer question model token context search retrieval vector local peer node import export stream bounded progress passage heading page citation reasoning tool result image file conversation provider'.split(' ')

/** Deterministic PRNG (mulberry32) so every run writes the same file. */
function rng (seed: number): () => number {
  let a = seed
  return () => {
    a |= 0; a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function sentence (r: () => number, words: number): string {
  const out: string[] = []
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(r() * WORDS.length)])
  return out.join(' ') + '.'
}

function message (id: string, role: string, t: number, text: string, parent: string | null, children: string[], extra: Record<string, unknown> = {}): unknown {
  return {
    id,
    parent,
    children,
    message: {
      id,
      author: { role, name: null, metadata: {} },
      create_time: t,
      update_time: null,
      content: { content_type: 'text', parts: [text] },
      status: 'finished_successfully',
      end_turn: role === 'assistant',
      weight: 1,
      metadata: role === 'assistant' ? { model_slug: 'gpt-4o', finish_details: { type: 'stop' }, ...extra } : {},
      recipient: 'all'
    }
  }
}

/** One synthetic conversation: 6–30 messages, every 5th with a regenerated answer. */
function conversation (r: () => number, i: number): { json: string, messages: number } {
  const t0 = 1700000000 + i * 3600
  const mapping: Record<string, unknown> = { 'client-created-root': { id: 'client-created-root', message: null, parent: null, children: ['m0'] } }
  const turns = 3 + Math.floor(r() * 13)
  let parent = 'client-created-root'
  let n = 0
  let last = ''
  for (let k = 0; k < turns; k++) {
    const u = `m${n++}`
    const a = `m${n++}`
    const regen = i % 5 === 0 && k === 1
    const alt = regen ? `m${n++}` : undefined
    const marker = i === 0 && k === 0 ? `${FIRST_MARKER} ` : ''
    mapping[u] = message(u, 'user', t0 + k * 60, marker + sentence(r, 10 + Math.floor(r() * 40)), parent, alt !== undefined ? [alt, a] : [a])
    if (alt !== undefined) mapping[alt] = message(alt, 'assistant', t0 + k * 60 + 5, sentence(r, 100), u, [])
    const cite = r() < 0.2 ? ' \u30103:0\u2020source\u3011' : ''
    mapping[a] = message(a, 'assistant', t0 + k * 60 + 10, sentence(r, 80 + Math.floor(r() * 220)) + cite, u, [])
    ;(mapping[parent] as { children: string[] }).children = parent === 'client-created-root' ? [u] : [u]
    parent = a
    last = a
  }
  const conv = { title: `Synthetic ${i}`, create_time: t0, update_time: t0 + turns * 60, mapping, current_node: last, conversation_id: `syn-${i}`, id: `syn-${i}`, default_model_slug: 'gpt-4o' }
  return { json: JSON.stringify(conv), messages: n }
}

export async function generate (path: string, bytes: number): Promise<{ conversations: number, messages: number, size: number }> {
  const r = rng(42)
  const out = createWriteStream(path)
  let size = 0
  let conversations = 0
  let messages = 0
  const write = async (s: string): Promise<void> => {
    size += Buffer.byteLength(s)
    if (!out.write(s)) await once(out, 'drain')
  }
  await write('[')
  while (size < bytes) {
    const c = conversation(r, conversations)
    await write((conversations > 0 ? ',\n' : '\n') + c.json)
    conversations++
    messages += c.messages
  }
  await write('\n]\n')
  out.end()
  await once(out, 'finish')
  return { conversations, messages, size }
}

interface ChildResult { seconds: number, conversations: number, messages: number, added: number, firstStoredMs: number, peakRssMB: number, sampledPeakRssMB: number, anonPeakMB: number }

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/**
 * Compiles the sources (tsconfig.build.json) into a temporary folder; returns it (with node_modules
 * linked). Not incremental: the build info in dist/ would make tsc skip files it believes emitted.
 */
async function build (): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'vivim-capture-bench-build-'))
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  const p = spawn(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(dir, 'dist'), '--incremental', 'false'], { stdio: 'inherit', cwd: ROOT })
  const [code] = await once(p, 'close') as [number]
  if (code !== 0) throw new Error(`tsc exited with ${code}`)
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir')
  return dir
}

/**
 * Runs a child with a fresh heap: this file (`--child import|parse|streamjson <file>`), or the
 * real node (_capture-node.mjs) from the sources under tsx, or from a compiled build (`dist`: its folder).
 */
async function child (mode: 'import' | 'parse' | 'node' | 'streamjson', file: string, dist?: string): Promise<ChildResult> {
  const self = fileURLToPath(import.meta.url)
  const nodeChild = join(dirname(self), '_capture-node.mjs')
  const args = mode !== 'node'
    ? ['--import', 'tsx', self, '--child', mode, file]
    : dist === undefined
      ? ['--import', 'tsx', nodeChild, join(ROOT, 'node'), file, FIRST_MARKER]
      : [nodeChild, join(dist, 'dist', 'node'), file, FIRST_MARKER]
  const p = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  p.stdout.on('data', (d: Buffer) => { out += d.toString() })
  const [code] = await once(p, 'close') as [number]
  if (code !== 0) throw new Error(`child ${mode} exited with ${code}`)
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as ChildResult
}

async function childMain (mode: string, file: string): Promise<void> {
  // load the code first: module compilation is not import time
  const { readFile } = await import('node:fs/promises')
  const { importFile } = await import('../../node/capture/index.js')
  const { MemorySink } = await import('../node/capture/_sink.js')
  let sampled = process.memoryUsage().rss
  let anon = anonKB()
  let ticks = 0
  const timer = setInterval(() => { sampled = Math.max(sampled, process.memoryUsage().rss); if (++ticks % 4 === 0) anon = Math.max(anon, anonKB()) }, 20)
  const t0 = performance.now()
  let result: Partial<ChildResult>
  if (mode === 'streamjson') {
    // peer: stream-json 1.9 (the last line that runs on Node 20), parsing only
    const { createReadStream } = await import('node:fs')
    const { default: StreamArray } = await import('stream-json/streamers/StreamArray.js')
    let conversations = 0
    const pipeline = createReadStream(file).pipe(StreamArray.withParser())
    for await (const _ of pipeline) conversations++
    result = { conversations, messages: 0, added: 0, firstStoredMs: NaN }
  } else if (mode === 'parse') {
    const data = JSON.parse(await readFile(file, 'utf8')) as unknown[]
    result = { conversations: data.length, messages: 0, added: 0, firstStoredMs: NaN }
  } else {
    const sink = new MemorySink({ keep: false })
    const r = await importFile(sink, file)
    result = { conversations: r.conversations, messages: r.messages, added: r.added, firstStoredMs: (sink.firstPutAt ?? NaN) - t0 }
  }
  const seconds = (performance.now() - t0) / 1000
  clearInterval(timer)
  sampled = Math.max(sampled, process.memoryUsage().rss)
  const peak = process.resourceUsage().maxRSS / 1024
  console.log(JSON.stringify({ ...result, seconds, peakRssMB: peak, sampledPeakRssMB: sampled / 1048576, anonPeakMB: Math.max(anon, anonKB()) / 1024 }))
}

export async function run (args: string[]): Promise<void> {
  const mb = Number(args.find(a => a.startsWith('--mb='))?.slice(5) ?? 200)
  const runs = Number(args.find(a => a.startsWith('--runs='))?.slice(7) ?? 1)
  const peer = !args.includes('--no-peer')
  const file = join(tmpdir(), `vivim-capture-bench-${process.pid}.json`)
  try {
    const g0 = performance.now()
    const gen = await generate(file, mb * 1024 * 1024)
    const size = (await stat(file)).size
    console.log(`generated ${(size / 1048576).toFixed(1)} MB: ${gen.conversations} conversations, ${gen.messages} messages in ${((performance.now() - g0) / 1000).toFixed(1)} s → ${file}`)
    const results: ChildResult[] = []
    for (let i = 0; i < runs; i++) results.push(await child('import', file))
    let naive: ChildResult | undefined
    if (peer && freemem() > 3 * 1024 ** 3) naive = await child('parse', file)
    const sj = peer ? await child('streamjson', file) : undefined
    // --node: the same file into a real offline node (frames signed, stored, indexed)
    const real = args.includes('--node') ? await child('node', file) : undefined
    let compiled: ChildResult | undefined
    if (args.includes('--node')) {
      const dist = await build()
      try { compiled = await child('node', file, dist) } finally { await rm(dist, { recursive: true, force: true }) }
    }
    const sec = median(results.map(r => r.seconds))
    const rows = {
      'file MB': +(size / 1048576).toFixed(1),
      conversations: results[0].conversations,
      messages: results[0].messages,
      'import s (median)': +sec.toFixed(2),
      'messages/s': Math.round(results[0].messages / sec),
      'MB/s': +((size / 1048576) / sec).toFixed(1),
      'first conversation stored ms': Math.round(median(results.map(r => r.firstStoredMs))),
      'peak RSS MB (import)': Math.round(Math.max(...results.map(r => r.peakRssMB))),
      'peak anonymous RSS MB (import)': results[0].anonPeakMB > 0 ? Math.round(Math.max(...results.map(r => r.anonPeakMB))) : 'n/a',
      'peak RSS MB (naive JSON.parse)': naive !== undefined ? Math.round(naive.peakRssMB) : 'skipped',
      'naive JSON.parse s': naive !== undefined ? +naive.seconds.toFixed(2) : 'skipped',
      'stream-json 1.9 parse only s': sj !== undefined ? +sj.seconds.toFixed(2) : 'skipped',
      'stream-json 1.9 peak RSS MB': sj !== undefined ? Math.round(sj.peakRssMB) : 'skipped',
      'real node: import s': real !== undefined ? +real.seconds.toFixed(2) : 'not run (--node)',
      'real node: messages/s': real !== undefined ? Math.round(real.messages / real.seconds) : 'not run (--node)',
      'real node: first conversation searchable ms': real !== undefined ? Math.round(real.firstStoredMs) : 'not run (--node)',
      'real node: peak RSS MB': real !== undefined ? Math.round(real.peakRssMB) : 'not run (--node)',
      'real node: peak anonymous RSS MB': real !== undefined && real.anonPeakMB > 0 ? Math.round(real.anonPeakMB) : 'n/a',
      'compiled node: messages/s': compiled !== undefined ? Math.round(compiled.messages / compiled.seconds) : 'not run (--node)',
      'compiled node: first conversation searchable ms': compiled !== undefined ? Math.round(compiled.firstStoredMs) : 'not run (--node)',
      'compiled node: peak RSS MB': compiled !== undefined ? Math.round(compiled.peakRssMB) : 'not run (--node)',
      'compiled node: peak anonymous RSS MB': compiled !== undefined && compiled.anonPeakMB > 0 ? Math.round(compiled.anonPeakMB) : 'n/a'
    }
    console.table(rows)
    const ok = rows['peak RSS MB (import)'] < RSS_LIMIT_MB
    console.log(ok ? `importers: peak RSS under ${RSS_LIMIT_MB} MB` : `FAIL: importers' peak RSS ${rows['peak RSS MB (import)']} MB ≥ ${RSS_LIMIT_MB} MB`)
    // The real node's figures against the same limit (reported; the exit code follows the importers).
    for (const [name, r] of [['real node (tsx)', real], ['compiled node', compiled]] as const) {
      if (r !== undefined) console.log(`${name}: peak RSS ${Math.round(r.peakRssMB)} MB (anonymous ${Math.round(r.anonPeakMB)} MB) ${r.peakRssMB < RSS_LIMIT_MB ? 'under' : 'NOT under'} ${RSS_LIMIT_MB} MB`)
    }
    await writeResults('capture', { rows, runs: results, naive, streamJson: sj, real, compiled, limitMB: RSS_LIMIT_MB, ok })
    if (!ok) process.exitCode = 1
  } finally {
    await rm(file, { force: true })
  }
}

if (process.argv[2] === '--child') {
  await childMain(process.argv[3], process.argv[4])
}
