import { CID } from 'multiformats/cid'
import { decodeBlockUnsafe, verifyBlock, validateCommit, validateFrame, isSealedShape, validateSealed, type SealedFrame, commitSigningBytes, decodeGenesis, removalsOf, type Commit, type Frame } from '../../dag/index.js'
import { nativeVerifier } from '../signatures/index.js'
import { Store } from '../store/index.js'
import type { VerifyProblem, VerifyReport } from '../interface.js'

/**
 * Walks every capsule and every stored block: re-hashes each block, checks each commit's
 * signature and shape, each frame's shape, and that each commit's `removes` is what its
 * frames say. Reads bytes without the store's hash check so it can name each bad block
 * instead of stopping at the first.
 */
export async function verifyStore (store: Store, opts: { onProgress?: (e: { blocks: number }) => void, openSealed?: (sealed: SealedFrame, cid: CID) => Promise<Frame | undefined> } = {}): Promise<VerifyReport> {
  const problems: VerifyProblem[] = []
  const verifyDidSignature = nativeVerifier()
  const badBlocks = new Set<string>()
  let blocks = 0
  for await (const { key, bytes } of store.blocks()) {
    blocks++
    let cid: CID
    try { cid = Store.cidOfKey(key) } catch { problems.push({ problem: 'undecodable-key', detail: `block key ${key.slice(0, 80)} is not a multihash` }); continue }
    try {
      verifyBlock(cid, bytes)
    } catch (err: any) {
      badBlocks.add(mhKey(cid))
      problems.push({ problem: 'hash-mismatch', cid: CID.createV1(0x71, cid.multihash).toString(), detail: `${err.name}: bytes on disk do not match the block's hash` })
    }
    if (blocks % 10_000 === 0) opts.onProgress?.({ blocks })
  }

  let commits = 0
  let frames = 0
  // Frames deleted on purpose (forget + gc) are holes the history expects, not corruption.
  const forgotten = new Set<string>()
  for await (const k of store.subs.g.keys()) forgotten.add(k)
  const forgottenSeen = new Set<string>()
  const seenFrames = new Set<string>()
  const records = []
  for await (const [, rec] of store.subs.c.iterator()) records.push(rec)
  for (const rec of records) {
    const capsule = rec.id as string
    const genesisCid = CID.parse(capsule)
    const gBytes = await store.getBlockUnsafe(genesisCid)
    if (gBytes == null) problems.push({ problem: 'missing-block', cid: capsule, capsule, detail: 'capsule genesis block is missing' })
    else if (!badBlocks.has(mhKey(genesisCid))) {
      try { decodeGenesis(genesisCid, gBytes, verifyDidSignature) } catch (err: any) { problems.push({ problem: err.name === 'InvalidSignatureError' ? 'bad-signature' : 'invalid-record', cid: capsule, capsule, detail: `genesis: ${err.message}` }) }
    }
    const stack: CID[] = []
    const prefix = capsule + '/'
    for await (const [, ref] of store.subs.r.iterator({ gt: prefix, lt: prefix + '\uffff' })) for (const h of ref.heads as string[]) stack.push(CID.parse(h))
    const seen = new Set<string>()
    while (stack.length > 0) {
      const cid = stack.pop() as CID
      const k = cid.toString()
      if (seen.has(k)) continue
      seen.add(k)
      commits++
      const commit = await readRecord(store, cid, capsule, badBlocks, problems, (v) => validateCommit(v)) as Commit | undefined
      if (commit == null) continue
      if (commit.capsule.toString() !== capsule) problems.push({ problem: 'invalid-record', cid: k, capsule, detail: 'commit names another capsule' })
      if (!verifyDidSignature(commit.author, commitSigningBytes(commit), commit.sig)) problems.push({ problem: 'bad-signature', cid: k, capsule, detail: `commit signature by ${commit.author} does not verify` })
      const decoded: Array<{ cid: CID, frame: Frame }> = []
      for (const f of commit.frames) {
        const fk = f.toString()
        if (forgotten.has(fk) && !(await store.hasBlock(f))) { forgottenSeen.add(fk); seenFrames.add(fk); continue }
        const quiet = seenFrames.has(fk)
        let frame = await readRecord(store, f, capsule, badBlocks, problems, (v) => isSealedShape(v) ? validateSealed(v) : validateFrame(v), quiet) as Frame | SealedFrame | undefined
        if (frame != null && (frame as SealedFrame).type === 'sealed') {
          // A private frame: checked as far as this node holds its epoch key.
          try {
            frame = await opts.openSealed?.(frame as SealedFrame, f)
          } catch (err: any) {
            frame = undefined
            if (!quiet && err?.name === 'DecryptionError') problems.push({ problem: 'invalid-record', cid: fk, capsule, detail: 'sealed frame does not decrypt (altered ciphertext)' })
          }
        }
        if (!seenFrames.has(fk)) { seenFrames.add(fk); frames++ }
        if (frame != null) decoded.push({ cid: f, frame: frame as Frame })
      }
      if (decoded.length === commit.frames.length) {
        // (a commit with a forgotten frame cannot be re-derived: its frames are not all here)
        const want = removalsOf(decoded).map(String).sort().join(',')
        const have = commit.removes.map(String).sort().join(',')
        if (want !== have) problems.push({ problem: 'bad-removes', cid: k, capsule, detail: 'commit removes differ from what its frames supersede' })
      }
      for (const p of commit.parents) stack.push(p)
    }
  }
  return { ok: problems.length === 0, blocks, forgotten: forgottenSeen.size, commits, frames, capsules: records.length, problems }
}

function mhKey (cid: CID): string { return Store.blockKey(cid) }

async function readRecord (store: Store, cid: CID, capsule: string, badBlocks: Set<string>, problems: VerifyProblem[], validate: (v: unknown) => unknown, quiet = false): Promise<unknown> {
  const bytes = await store.getBlockUnsafe(cid)
  if (bytes == null) {
    if (!quiet) problems.push({ problem: 'missing-block', cid: cid.toString(), capsule, detail: 'block referenced by the history is missing' })
    return undefined
  }
  if (badBlocks.has(mhKey(cid))) return undefined
  try {
    return validate(decodeBlockUnsafe(cid, bytes))
  } catch (err: any) {
    if (!quiet) problems.push({ problem: 'invalid-record', cid: cid.toString(), capsule, detail: `${err.name}: ${err.message}` })
    return undefined
  }
}
