// Reading a capsule file: decrypt when it is encrypted, parse the CAR, check every block's hash,
// every signature and every record's shape as it streams past, keep only what the closure
// check needs (links, times, uris) in a ledger (memory up to a size, then disk), then check the
// closure and the owner's rules. Memory stays bounded whatever the file's size.
import { createReadStream } from 'node:fs'
import { CID } from 'multiformats/cid'
import {
  verifyBlock, decodeBlockUnsafe, validateCommit, validateFrame, commitSigningBytes, decodeGenesis, isSealedShape, validateSealed,
  DAG_CBOR_CODE, InvalidSignatureError, UnsupportedCidError, type Genesis, type SignatureVerifier
} from '../../dag/index.js'
import { CapsuleExpiredError } from '../errors.js'
import { ByteReader } from './_bytes.js'
import { readCarHeader, readCarSection } from './car.js'
import { isEncrypted, decryptStream } from './encrypted.js'
import { isManifest, validateManifest } from './manifest.js'
import { ENCRYPTED_MAGIC } from './constants.js'
import { cidKey } from '../../dag/index.js'
import { decodeFrameKeys, isFrameKeysShape, type FrameKeyBundle } from '../../capabilities/index.js'
import { EmptyFileError, IncompleteCapsuleError, InvalidCapsuleFileError, PassphraseRequiredError, ReshareNotAllowedError } from './errors.js'
import type { FileProblem, Manifest, PassphraseSource } from './interface.js'
import { Ledger } from './ledger.js'

/** Where a capsule file comes from: a path, its bytes, or a stream of byte chunks. */
export type CapsuleSource = string | Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array>

export interface CommitMeta { capsule: string, parents: string[], frames: string[], removes: string[], time: number }
/** What the index needs of a frame; a sealed frame (private capsule) shows only its capsule until opened. */
export interface FrameMeta { time: number, uri?: string, supersedes?: string, tombstone: boolean, sealed?: string }

/**
 * Ledger keys a scan writes: `c<cid>` → CommitMeta and `f<cid>` → FrameMeta (JSON) for every
 * block of the file; `C<cid>` and `F<cid>` mark the commits and frames the closure walk reached.
 */
export const COMMIT = 'c'
export const FRAME = 'f'
const REACHED_COMMIT = 'C'
const REACHED_FRAME = 'F'
/** `k<cid>` → a frame-key bundle's bytes (base64), kept in the ledger so a large private capsule's keys never sit in memory. */
export const BUNDLE = 'k'

/** What a scan learned: the manifest, the genesis, and (in its ledger) the links of every commit and frame. */
export interface Scan {
  encrypted: boolean
  roots: CID[]
  manifest?: { cid: CID, value: Manifest }
  genesis?: { cid: CID, value: Genesis }
  /** Per-block metadata (see COMMIT and FRAME); the caller clears it. */
  ledger: Ledger
  /** Distinct commits and frames in the file, and how many of the frames are sealed. */
  commits: number
  frames: number
  sealed: number
  /** Forgotten frames the history names (listed by the manifest, absent from the file). */
  forgotten: Set<string>
  /** A private capsule's epoch blocks (listed by the manifest), by CID. */
  epochs: Map<string, Uint8Array>
  /** CIDs of its frame-key bundles (listed by the manifest too; their bytes are in the ledger under BUNDLE). */
  bundles: Set<string>
  blocks: number
  problems: FileProblem[]
}

export interface ScanOptions {
  passphrase?: PassphraseSource
  verifier: SignatureVerifier
  now: number
  /** Called with each block whose hash (and, for records that carry one, signature) checked. */
  onBlock?: (cid: CID, bytes: Uint8Array, kind: 'genesis' | 'commit' | 'frame' | 'epoch') => Promise<void> | void
  /** Where per-block metadata goes (default: a temporary ledger, which may spill to a temporary database: clear `scan.ledger` when done). */
  ledger?: Ledger
  /** Collect problems instead of throwing the first (verifyFile). */
  collect?: boolean
  signal?: AbortSignal
}

const TYPED = new Set(['HashMismatchError', 'UnsupportedCidError', 'InvalidRecordError', 'UnknownKindError', 'BlockTooLargeError', 'InvalidSignatureError', 'MissingBlockError', 'CapsuleExpiredError', 'AbortError'])

/** Makes sure whatever escapes a scan is a typed error (fuzzed input must never surface a bare Error). */
export function typed (err: any): Error {
  if (err?.syscall != null && typeof err.code === 'string') return err // the file system's own (ENOENT, EACCES)
  if (err != null && typeof err.name === 'string' && (TYPED.has(err.name) || err.constructor?.name === err.name) && err.name !== 'Error' && err.name !== 'TypeError' && err.name !== 'RangeError') return err
  const e = new InvalidCapsuleFileError(`Not a valid capsule file: ${String(err?.message ?? err)}`)
  ;(e as any).cause = err
  return e
}

function sourceOf (src: CapsuleSource): AsyncIterable<Uint8Array> | Iterable<Uint8Array> {
  if (typeof src === 'string') return createReadStream(src, { highWaterMark: 64 * 1024 })
  if (src instanceof Uint8Array) return [src]
  return src
}

async function passphraseOf (p: PassphraseSource | undefined): Promise<string | Uint8Array> {
  if (p === undefined) throw new PassphraseRequiredError()
  return typeof p === 'function' ? await p() : p
}

/**
 * Streams a capsule file through every check. In the default mode the first problem throws;
 * with `collect` block-level problems are gathered and the scan goes on.
 */
export async function scanCapsuleFile (src: CapsuleSource, opts: ScanOptions): Promise<Scan> {
  const ledger = opts.ledger ?? Ledger.temporary()
  const scan: Scan = { encrypted: false, roots: [], ledger, commits: 0, frames: 0, sealed: 0, forgotten: new Set(), epochs: new Map(), bundles: new Set(), blocks: 0, problems: [] }
  const fail = (err: Error, cid?: CID | string): void => {
    if (opts.collect !== true) throw err
    scan.problems.push({ error: err.name, ...(cid != null ? { cid: cid.toString() } : {}), detail: err.message })
  }
  const outer = new ByteReader(sourceOf(src))
  try {
    const head = await outer.peek(ENCRYPTED_MAGIC.length)
    if (head.length === 0) throw new EmptyFileError()
    let reader = outer
    if (isEncrypted(head)) {
      scan.encrypted = true
      reader = new ByteReader(decryptStream(outer, await passphraseOf(opts.passphrase)))
    }
    scan.roots = await readCarHeader(reader)
    const rootKeys = new Set(scan.roots.map(String))
    for (;;) {
      opts.signal?.throwIfAborted()
      const section = await readCarSection(reader)
      if (section == null) break
      const { cid, bytes } = section
      const key = cidKey(cid)
      // A repeated block adds nothing (the ledger is the set of blocks seen: no second copy of every CID).
      if (scan.epochs.has(key) || scan.bundles.has(key) || scan.genesis?.cid.equals(cid) === true || scan.manifest?.cid.equals(cid) === true || await ledger.has(FRAME + key) || await ledger.has(COMMIT + key)) continue
      scan.blocks++
      let kind: 'genesis' | 'commit' | 'frame' | 'epoch' | undefined
      try {
        verifyBlock(cid, bytes)
        if (cid.code !== DAG_CBOR_CODE) throw new UnsupportedCidError(`Block ${key} is not dag-cbor`)
        const value: any = decodeBlockUnsafe(cid, bytes)
        if (isManifest(value)) {
          if (!rootKeys.has(key)) throw new InvalidCapsuleFileError(`Manifest ${key} is not a root`)
          if (scan.manifest != null) throw new InvalidCapsuleFileError('The file holds two manifests')
          scan.manifest = { cid, value: validateManifest(value, opts.verifier) }
          // (kept out of the capsule: the manifest describes this file)
        } else if (value?.type === 'capsule') {
          if (scan.genesis != null) throw new InvalidCapsuleFileError('The file holds two capsule genesis blocks')
          scan.genesis = { cid, value: decodeGenesis(cid, bytes, opts.verifier) }
          kind = 'genesis'
        } else if (value?.type === 'commit') {
          const c = validateCommit(value)
          if (!opts.verifier(c.author, commitSigningBytes(c), c.sig)) throw new InvalidSignatureError(`Commit ${key} has an invalid signature`)
          const meta: CommitMeta = { capsule: cidKey(c.capsule), parents: c.parents.map(cidKey), frames: c.frames.map(cidKey), removes: c.removes.map(cidKey), time: c.time }
          await ledger.put(COMMIT + key, JSON.stringify(meta))
          scan.commits++
          kind = 'commit'
        } else if (scan.manifest?.value.keyring?.some(k => k.equals(cid)) === true) {
          if (isFrameKeysShape(value)) {
            // Frame keys under an epoch key: kept out of the store (the node keeps the keys it can open).
            let bundle: FrameKeyBundle
            try { bundle = decodeFrameKeys(cid, bytes.slice()) } catch (err: any) { throw new InvalidCapsuleFileError(`Frame-key bundle ${key} is malformed: ${String(err.message)}`) }
            if (scan.manifest != null && bundle.id !== scan.manifest.value.capsule.toString()) throw new InvalidCapsuleFileError(`Frame-key bundle ${key} belongs to another capsule`)
            scan.bundles.add(key)
            await ledger.put(BUNDLE + key, Buffer.from(bundle.bytes).toString('base64'))
          } else {
            // An epoch block: opaque here (signed by the owner; checked when the keyring opens).
            scan.epochs.set(key, bytes.slice())
            kind = 'epoch'
          }
        } else if (isSealedShape(value)) {
          const meta: FrameMeta = { time: 0, tombstone: false, sealed: cidKey(validateSealed(value).capsule) }
          await ledger.put(FRAME + key, JSON.stringify(meta))
          scan.frames++
          scan.sealed++
          kind = 'frame'
        } else {
          const f = validateFrame(value)
          const meta: FrameMeta = { time: f.time, tombstone: f.kind === 'tombstone' }
          if (f.uri != null) meta.uri = f.uri
          if (f.supersedes != null) meta.supersedes = cidKey(f.supersedes)
          await ledger.put(FRAME + key, JSON.stringify(meta))
          scan.frames++
          kind = 'frame'
        }
      } catch (err: any) {
        fail(typed(err), cid)
        continue
      }
      if (kind != null) await opts.onBlock?.(cid, bytes, kind)
    }
  } catch (err: any) {
    if (opts.collect !== true) throw typed(err)
    scan.problems.push({ error: typed(err).name, detail: err.message })
    return scan
  } finally {
    await outer.close().catch(() => {})
  }
  await checkClosure(scan, opts.now, fail, opts.signal)
  return scan
}

/** The manifest, genesis, roots and every link of the history are present and agree; the rules allow the file. */
async function checkClosure (scan: Scan, now: number, fail: (err: Error, cid?: CID | string) => void, signal?: AbortSignal): Promise<void> {
  const m = scan.manifest?.value
  if (m == null) { fail(new InvalidCapsuleFileError('The file has no manifest among its roots')); return }
  const ledger = scan.ledger
  const heads = new Set<string>()
  for (const hs of Object.values(m.branches)) for (const h of hs) heads.add(h.toString())
  const roots = new Set(scan.roots.map(String))
  roots.delete(scan.manifest?.cid.toString() ?? '')
  if (roots.size !== heads.size || [...heads].some(h => !roots.has(h))) fail(new InvalidCapsuleFileError('The file\'s roots are not the heads its manifest names'))
  const capsule = m.capsule.toString()
  const g = scan.genesis
  if (g == null) fail(new IncompleteCapsuleError(`The capsule's genesis ${capsule} is missing`), capsule)
  else if (g.cid.toString() !== capsule) fail(new InvalidCapsuleFileError('The manifest names another capsule than the genesis in the file'), g.cid)
  const listedForgotten = new Set(m.forgotten.map(String))
  for (const k of m.keyring ?? []) if (!scan.epochs.has(k.toString()) && !scan.bundles.has(k.toString())) fail(new IncompleteCapsuleError(`Epoch block ${k.toString()} of the capsule's keyring is missing`), k)
  // Walk the history from the heads: every commit and frame it names must be here (or forgotten).
  // The walk's marks go to the ledger too: only the stack of commits still to visit is in memory.
  let commitsReached = 0
  let framesReached = 0
  const stack = [...heads]
  while (stack.length > 0) {
    signal?.throwIfAborted()
    const k = stack.pop() as string
    if (await ledger.has(REACHED_COMMIT + k)) continue
    await ledger.put(REACHED_COMMIT + k)
    const raw = await ledger.get(COMMIT + k)
    if (raw == null) { fail(new IncompleteCapsuleError(`Commit ${k} is missing`), k); continue }
    commitsReached++
    const c = JSON.parse(raw) as CommitMeta
    if (c.capsule !== capsule) fail(new InvalidCapsuleFileError(`Commit ${k} belongs to another capsule`), k)
    const metas = (await ledger.getMany(c.frames.map(f => FRAME + f))).map(v => v != null ? JSON.parse(v) as FrameMeta : undefined)
    const marks = await ledger.getMany(c.frames.map(f => REACHED_FRAME + f))
    let whole = true
    for (let i = 0; i < c.frames.length; i++) {
      const f = c.frames[i]
      const meta = metas[i]
      if (marks[i] === undefined && !(await ledger.has(REACHED_FRAME + f))) { // (twice in one commit: marked just now)
        await ledger.put(REACHED_FRAME + f)
        if (meta != null) framesReached++
      }
      if (meta?.sealed != null) {
        whole = false // what a sealed frame supersedes is readable only with its key
        if (meta.sealed !== capsule) fail(new InvalidCapsuleFileError(`Sealed frame ${f} belongs to another capsule`), f)
      }
      if (meta != null) continue
      whole = false
      if (listedForgotten.has(f)) scan.forgotten.add(f)
      else fail(new IncompleteCapsuleError(`Frame ${f} named by commit ${k} is missing`), f)
    }
    if (whole) {
      // dag's removalsOf, over the metadata kept: what each frame supersedes, and each tombstone itself.
      const want: string[] = []
      for (let i = 0; i < c.frames.length; i++) {
        const meta = metas[i] as FrameMeta
        if (meta.supersedes != null) want.push(meta.supersedes)
        if (meta.tombstone) want.push(c.frames[i])
      }
      if (want.length !== c.removes.length || want.sort().join(',') !== [...c.removes].sort().join(',')) fail(new InvalidCapsuleFileError(`Commit ${k} removes differ from what its frames supersede`), k)
    }
    for (const p of c.parents) stack.push(p)
  }
  // Every block reached (counts of distinct blocks agree); else name each one left out.
  if (commitsReached !== scan.commits) {
    for await (const [k] of ledger.entries(COMMIT)) if (!(await ledger.has(REACHED_COMMIT + k))) fail(new InvalidCapsuleFileError(`Commit ${k} is not part of the exported history`), k)
  }
  if (framesReached !== scan.frames) {
    for await (const [k] of ledger.entries(FRAME)) if (!(await ledger.has(REACHED_FRAME + k))) fail(new InvalidCapsuleFileError(`Frame ${k} is not part of the exported history`), k)
  }
  const rules = g?.value.rules
  if (rules?.expires != null && rules.expires <= now) fail(new CapsuleExpiredError(`The capsule expired at ${new Date(rules.expires).toISOString()} (its owner's rule)`), capsule)
  if (rules?.reshare === false && g != null && m.exporter !== g.value.owner) fail(new ReshareNotAllowedError(`The capsule's owner ${g.value.owner} does not allow re-sharing, and ${m.exporter} exported it`), capsule)
}
