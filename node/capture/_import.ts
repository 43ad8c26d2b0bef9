/**
 * The import pipeline: detect, verify and hash the whole source, then read
 * it record by record and write each conversation thread with one putMany.
 *
 * Guarantees:
 * - a file that fails as a whole (not an export, unreadable, truncated or
 *   structurally broken JSON, a PDF that does not parse) stores nothing:
 *   streamed JSON is verified end to end before the first write, and
 *   whole-file formats are parsed completely before they yield;
 * - a malformed record is skipped and reported with its position;
 * - each thread (visible thread, each branch) is written whole by one putMany, or, for sinks
 *   with putBatch, whole conversations are gathered into atomic writes of about
 *   IMPORT_BATCH_FRAMES frames;
 * - frames whose uri is already stored are not written again.
 */
import { createHash } from 'node:crypto'
import type { CaptureSink, Conversation, ExportFormat, ImportOptions, ImportProgress, ImportReport, Importer, PutInput, PutManyOptions, Source } from './interface.js'
import { IMPORTERS, STRUCTURE } from './registry.js'
import { detectSource } from './detect.js'
import { jsonStart, verifyJson } from './_json-records.js'
import { toFrames } from './render.js'
import { ASYNC_TICK_MS, DEFAULT_CAPSULES, IMPORT_BATCH_FRAMES, IMPORTER_VERSION, PROGRESS_INTERVAL_MS } from './constants.js'
import { yielder } from './_util.js'
import { AbortError, InvalidParametersError, NotAnExportError, UnsupportedFormatError } from './errors.js'

async function * tap (chunks: AsyncIterable<Uint8Array>, hash: ReturnType<typeof createHash>): AsyncGenerator<Uint8Array> {
  for await (const c of chunks) {
    hash.update(c)
    yield c
  }
}

/** Hashes the source and, for JSON, verifies its structure end to end. */
async function prepass (source: Source, format: ExportFormat, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256')
  const s = STRUCTURE[format]
  if (s.kind === 'json' && s.prefix !== undefined) {
    // JSON embedded in a page: the verifier stops at its end, so hash in a pass of its own
    await verifyJson(source.chunks(signal), { arrayKey: s.arrayKey, startAt: await jsonStart(source, s.prefix) }, signal)
    for await (const c of source.chunks(signal)) hash.update(c)
  } else if (s.kind === 'json') {
    await verifyJson(tap(source.chunks(signal), hash), { arrayKey: s.arrayKey }, signal)
  } else {
    for await (const c of source.chunks(signal)) hash.update(c)
  }
  return hash.digest('hex')
}

export function checkSink (sink: CaptureSink): void {
  if (typeof sink !== 'object' || sink === null || typeof sink.putMany !== 'function' || typeof sink.hasUri !== 'function') {
    throw new InvalidParametersError('sink must implement putMany and hasUri')
  }
}

export function resolveFormat (format: unknown): ExportFormat | 'auto' {
  if (format === undefined || format === 'auto') return 'auto'
  if (typeof format !== 'string') throw new InvalidParametersError('format must be a string')
  if (format in STRUCTURE) return format as ExportFormat
  throw new UnsupportedFormatError(`unknown format ${format}`)
}

function checkAbort (signal?: AbortSignal): void {
  if (signal?.aborted === true) throw new AbortError()
}

interface Groups { branch?: string, inputs: PutInput[] }

function framesOf (conv: Conversation, format: string, capsule: string): Groups[] {
  const groups: Groups[] = [{ inputs: toFrames(conv, conv.messages, format) }]
  conv.branches.forEach((b, i) => {
    const branch = `${conv.id}/${i + 1}`
    const extra: Record<string, string> = { branch }
    if (b.forkFrom !== undefined) extra.fork_from = b.forkFrom
    groups.push({ branch, inputs: toFrames(conv, b.messages, format, extra) })
  })
  for (const g of groups) {
    for (const input of g.inputs) {
      input.capsule = capsule
      if (g.branch !== undefined) input.branch = g.branch
    }
  }
  return groups.filter(g => g.inputs.length > 0)
}

/**
 * Writes threads, only frames not stored yet: one putMany per thread, or, when the sink has
 * putBatch, many conversations per atomic write (a commit and an fsync per thread would
 * dominate a large import). The first conversation is written at once, so it is searchable early.
 */
class ThreadWriter {
  readonly #sink: CaptureSink
  #pending: Array<{ inputs: PutInput[], opts: PutManyOptions }> = []
  /** Uris waiting in #pending (not stored yet, but not to be written twice either). */
  #pendingUris = new Set<string>()
  #frames = 0
  #flushes = 0

  constructor (sink: CaptureSink) { this.#sink = sink }

  async #stored (inputs: PutInput[]): Promise<Set<string>> {
    const uris = inputs.flatMap(i => i.uri !== undefined ? [i.uri] : [])
    if (uris.length === 0) return new Set()
    if (this.#sink.hasUris !== undefined) return await this.#sink.hasUris(uris)
    const out = new Set<string>()
    for (const u of uris) if (await this.#sink.hasUri(u)) out.add(u)
    return out
  }

  async conversation (conv: Conversation, format: string, capsule: string, report: ImportReport): Promise<void> {
    const groups = framesOf(conv, format, capsule)
    const stored = await this.#stored(groups.flatMap(g => g.inputs))
    for (const g of groups) {
      const fresh: PutInput[] = []
      for (const input of g.inputs) {
        if (input.uri !== undefined && (stored.has(input.uri) || this.#pendingUris.has(input.uri))) report.alreadyPresent++
        else fresh.push(input)
      }
      if (fresh.length > 0) {
        const opts: PutManyOptions = g.branch !== undefined ? { capsule, branch: g.branch } : { capsule }
        if (this.#sink.putBatch === undefined) await this.#sink.putMany(fresh, opts)
        else {
          this.#pending.push({ inputs: fresh, opts })
          for (const i of fresh) if (i.uri !== undefined) this.#pendingUris.add(i.uri)
          this.#frames += fresh.length
        }
        report.added += fresh.length
      }
      report.messages += g.inputs.length
      if (g.branch !== undefined) report.branches++
    }
    if (this.#flushes === 0 || this.#frames >= IMPORT_BATCH_FRAMES) await this.flush()
  }

  /** Writes what is pending (one atomic write). */
  async flush (): Promise<void> {
    if (this.#pending.length === 0 || this.#sink.putBatch === undefined) return
    const threads = this.#pending
    this.#pending = []
    this.#pendingUris = new Set()
    this.#frames = 0
    this.#flushes++
    await this.#sink.putBatch(threads)
  }
}

/** Imports one source whose format is known or detected. */
export async function importSource (sink: CaptureSink, source: Source, opts: ImportOptions = {}): Promise<ImportReport> {
  try {
    return await importChecked(sink, source, opts)
  } catch (err) {
    // whatever reason the caller aborted with, the caller sees one AbortError
    if (opts.signal?.aborted === true) throw new AbortError()
    throw err
  }
}

async function importChecked (sink: CaptureSink, source: Source, opts: ImportOptions): Promise<ImportReport> {
  checkSink(sink)
  const signal = opts.signal
  checkAbort(signal)
  let format = resolveFormat(opts.format)
  if (format === 'auto') format = await detectSource(source)
  const importer: Importer | undefined = IMPORTERS[format]
  if (importer === undefined) throw new UnsupportedFormatError(`format ${format} is read through importFile on its folder`)
  const sha = await prepass(source, format, signal)
  checkAbort(signal)
  const capsule = opts.capsule ?? DEFAULT_CAPSULES[importer.provider] ?? importer.provider
  const report: ImportReport = {
    format,
    importer: importer.name,
    version: IMPORTER_VERSION,
    sourceSha256: sha,
    conversations: 0,
    messages: 0,
    added: 0,
    alreadyPresent: 0,
    branches: 0,
    skipped: []
  }
  let bytes = 0
  let last = 0
  const progress = (force: boolean): void => {
    if (opts.onProgress === undefined) return
    const now = Date.now()
    if (!force && now - last < PROGRESS_INTERVAL_MS) return
    last = now
    const p: ImportProgress = { bytes, total: source.size, conversations: report.conversations, messages: report.messages }
    try { opts.onProgress(p) } catch {}
  }
  const ctx = { signal, onBytes: (n: number) => { bytes = n; progress(false) } }
  // a fast sink (or a cached file) must not starve timers and other nodes in the process
  const pause = yielder(ASYNC_TICK_MS)
  const writer = new ThreadWriter(sink)
  for await (const item of importer.read(source, ctx)) {
    await pause()
    checkAbort(signal)
    if (item.type === 'skip') {
      report.skipped.push(item.skipped)
      continue
    }
    await writer.conversation(item.conversation, format, capsule, report)
    report.conversations++
    progress(false)
  }
  checkAbort(signal)
  await writer.flush()
  if (report.conversations === 0 && report.skipped.length > 0) {
    throw new NotAnExportError(`no record of ${source.path} could be read as ${format} (${report.skipped.length} skipped)`)
  }
  bytes = source.size
  progress(true)
  await sink.recordSource?.({ sha256: sha, path: source.path, format, importer: importer.name, version: IMPORTER_VERSION, conversations: report.conversations, messages: report.messages })
  return report
}
