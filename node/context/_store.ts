import { vectorToBytes } from './vectors.js'
import type { DocTerms } from './inverted-index.js'
import type { IndexDb, IndexedDoc } from './interface.js'

/** What the index keeps about itself, under meta/info. */
export interface IndexInfo {
  format: number
  tokenizer: number
  language: string
  /** Live docs; a mismatch with what loads means the index is incomplete. */
  count: number
  /** True while a rebuild runs: a crash mid-rebuild leaves the index stale, never half-right. */
  building?: boolean
  model?: string
  dimensions?: number
  mark?: string
  /** Layout of the persisted index (LAYOUT); another one makes the index stale. */
  layout?: number
  /** The next write-log entry number. */
  seq?: number
  /** The current snapshot: its generation, the last log entry it includes, and whether it is a file (see _snapshot-file.ts). */
  snap?: { gen: number, seq: number, file?: boolean }
}

/** Persisted layout: docs (JSON, with their terms) + a snapshot of the in-memory index + a log of writes since. */
export const LAYOUT = 2

/** One write-log entry: CIDs added (read back from `docs`) or removed, in order. */
export interface LogEntry {
  a?: string[]
  r?: string[]
}

export function logKey (seq: number): string {
  return String(seq).padStart(12, '0')
}

/**
 * One persisted doc with its terms, so that loading needs no tokenizing. Without its text
 * (`d.text` absent) when the texts are kept elsewhere (SearchIndexInit.texts); `q` then says
 * whether it asks a question.
 */
export interface StoredDoc {
  d: IndexedDoc
  t: string[]
  f: number[]
  l: number
  q?: 1 | 0
}

export function toStored (doc: IndexedDoc, dt: DocTerms, withText = true): StoredDoc {
  if (withText) return { d: doc, t: dt.terms, f: dt.tfs, l: dt.length }
  const { text: _text, ...d } = doc
  return { d: d as IndexedDoc, t: dt.terms, f: dt.tfs, l: dt.length, q: dt.question === true ? 1 : 0 }
}

export function fromStored (s: StoredDoc): [IndexedDoc, DocTerms] {
  const dt: DocTerms = { terms: s.t, tfs: s.f, length: s.l }
  if (s.q !== undefined) dt.question = s.q === 1
  return [s.d, dt]
}

/** The sublevels of the index inside the level the node gave. */
export interface Store {
  meta: IndexDb
  docs: IndexDb
  vecs: IndexDb
  /** Snapshot blobs, `<gen>!<name>!<chunk>` (bytes). */
  snap: IndexDb
  /** Write log since the snapshot, by `logKey(seq)` (JSON `LogEntry`). */
  log: IndexDb
}

export function openStore (db: IndexDb): Store {
  return {
    meta: db.sublevel('meta', { valueEncoding: 'json' }) as unknown as IndexDb,
    docs: db.sublevel('docs', { valueEncoding: 'json' }) as unknown as IndexDb,
    vecs: db.sublevel('vecs', { valueEncoding: 'view' }) as unknown as IndexDb,
    snap: db.sublevel('snap', { valueEncoding: 'view' }) as unknown as IndexDb,
    log: db.sublevel('log', { valueEncoding: 'json' }) as unknown as IndexDb
  }
}

export async function readInfo (store: Store): Promise<IndexInfo | undefined> {
  const v = await store.meta.get('info')
  return v === undefined || v === null ? undefined : v as IndexInfo
}

/** Batch operations that store analysed docs and their vectors. */
export function putOps (s: Store, analysed: Array<[IndexedDoc, DocTerms]>, vecs: Map<string, Float32Array>, withText = true): Array<Record<string, unknown>> {
  const ops: Array<Record<string, unknown>> = analysed.map(([d, dt]) => ({ type: 'put', sublevel: s.docs, key: d.cid, value: toStored(d, dt, withText) }))
  for (const [cid, v] of vecs) ops.push({ type: 'put', sublevel: s.vecs, key: cid, value: vectorToBytes(v) })
  return ops
}
