/**
 * Glue between the streaming JSON reader and the importers: each record is
 * converted on its own, and a record that fails becomes a skip entry with
 * its position, never an exception that stops the import.
 */
import { readdir, readFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { Conversation, ImportContext, ImportItem, Source } from './interface.js'
import { streamJsonRecords } from './_json-stream.js'
import { DETECT_HEAD_BYTES, MAX_RECORD_BYTES } from './constants.js'
import { NotAnExportError } from './errors.js'
import { isObj } from './_util.js'

export interface RecordOptions {
  /** Stream this key's array of a top-level object (or each listed key's). */
  arrayKey?: string | string[]
  /** Where the JSON value starts (after an HTML prefix); it may be followed by anything. */
  startAt?: number
}

/** Turns one failure into a skip item. */
export function skipItem (position: number, err: unknown, byte?: number, line?: number): ImportItem {
  const e = err instanceof Error ? err : new Error(String(err))
  return { type: 'skip', skipped: { position, byte, line, error: e.name, reason: e.message } }
}

/** Streams records and converts each into zero or more conversations. */
export async function * streamConversations (
  source: Source,
  ctx: ImportContext,
  opts: RecordOptions,
  convert: (raw: unknown, index: number, key?: string) => Conversation | Conversation[] | undefined
): AsyncGenerator<ImportItem> {
  for await (const rec of streamJsonRecords(source.chunks(ctx.signal), { arrayKey: opts.arrayKey, startAt: opts.startAt, allowTrailing: opts.startAt !== undefined, maxRecordBytes: MAX_RECORD_BYTES, onBytes: ctx.onBytes, signal: ctx.signal })) {
    if (rec.error !== undefined) {
      yield skipItem(rec.index, rec.error, rec.byte)
      continue
    }
    let out: Conversation | Conversation[] | undefined
    try {
      out = convert(rec.value, rec.index, rec.key)
    } catch (err) {
      yield skipItem(rec.index, err, rec.byte)
      continue
    }
    for (const c of Array.isArray(out) ? out : out === undefined ? [] : [out]) {
      c.source = `${source.path}#${rec.index}`
      yield { type: 'conversation', conversation: c }
    }
  }
}

/**
 * Checks a JSON export's structure end to end without keeping anything,
 * so a truncated or broken file is refused before anything is stored.
 * @throws MalformedExportError
 */
export async function verifyJson (chunks: AsyncIterable<Uint8Array>, opts: RecordOptions, signal?: AbortSignal): Promise<number> {
  let n = 0
  for await (const _ of streamJsonRecords(chunks, { arrayKey: opts.arrayKey, startAt: opts.startAt, allowTrailing: opts.startAt !== undefined, collect: false, maxRecordBytes: MAX_RECORD_BYTES, signal })) n++
  return n
}

/**
 * Byte offset of the JSON value that follows `prefix` in the first
 * DETECT_HEAD_BYTES of a source (ChatGPT's chat.html: `var jsonData = [`).
 * @throws NotAnExportError when the prefix is not there
 */
export async function jsonStart (source: Source, prefix: RegExp): Promise<number> {
  const parts: Uint8Array[] = []
  let n = 0
  for await (const c of source.chunks()) {
    parts.push(c)
    n += c.length
    if (n >= DETECT_HEAD_BYTES) break
  }
  const head = Buffer.concat(parts).toString('latin1')
  const m = prefix.exec(head)
  if (m === null) throw new NotAnExportError(`${source.path} has no embedded JSON`)
  // latin1 keeps one char per byte, so the index is a byte offset
  return m.index + m[0].length
}

/** Maps ChatGPT asset pointers / file ids to attachment files next to the export. */
export interface AssetIndex {
  /** Local path of the attachment's `.dat` file. */
  resolve (pointerOrId: string): string | undefined
  /** Original file name, from `conversation_asset_file_names.json`. */
  nameOf (pointerOrId: string): string | undefined
}

/**
 * Reads the export folder's `file-<id>.dat` / `file_<id>.dat` attachments and
 * `conversation_asset_file_names.json` (which maps `.dat` names to original names).
 */
export async function loadAssetIndex (source: Source): Promise<AssetIndex | undefined> {
  if (source.dir === undefined) return undefined
  let names: string[]
  try {
    names = await readdir(source.dir)
  } catch {
    return undefined
  }
  const files = names.filter(n => /^file[-_]/.test(n))
  if (files.length === 0) return undefined
  const original = new Map<string, string>()
  try {
    const map: unknown = JSON.parse(await readFile(join(source.dir, 'conversation_asset_file_names.json'), 'utf8'))
    if (isObj(map)) for (const [k, v] of Object.entries(map)) if (typeof v === 'string') original.set(k, v)
  } catch {}
  const byId = new Map<string, string>()
  for (const f of files) {
    const id = basename(f).replace(/\.[^.]*$/, '')
    byId.set(id, join(source.dir, f))
    byId.set(id.replace(/^file[-_]/, ''), join(source.dir, f))
  }
  const dir = source.dir
  const idOf = (p: string): string => p.replace(/^[a-z-]+:\/\//, '').replace(/\?.*$/, '')
  return {
    resolve (p: string): string | undefined {
      const id = idOf(p)
      const hit = byId.get(id) ?? byId.get(id.replace(/^file[-_]/, ''))
      if (hit !== undefined) return hit
      for (const [dat, orig] of original) if (dat.includes(id) || orig.includes(id)) return join(dir, dat)
      return undefined
    },
    nameOf (p: string): string | undefined {
      const id = idOf(p)
      const name = original.get(`${id}.dat`) ?? [...original].find(([dat]) => dat.startsWith(id))?.[1]
      return name?.split('/').pop()
    }
  }
}
