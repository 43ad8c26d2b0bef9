// capabilities: UCAN chain validation (cold and from the verified-proof cache) and
// content encryption throughput. `npm run bench -- capabilities [--quick]`.
//
// Cold: a validator without a proof cache, so every signature of the chain (the
// delegations and the invocation) is verified each time; its imported-public-key
// cache stays warm, as in a running node. Measured one at a time, and with 32
// validations in flight (WebCrypto runs Ed25519 on libuv's thread pool, so a node
// serving several peers uses more than one core). Cached: the same decoded
// invocation validated again; time bounds, revocations and the executor's
// expectations are still checked on every call. Peers on the same data: raw
// WebCrypto Ed25519 verifies (the floor of a cold check) and node:crypto's
// ChaCha20-Poly1305 (native, 96-bit nonces) next to our XChaCha20-Poly1305 (@noble/ciphers).
import { createCipheriv, createDecipheriv, createPublicKey, randomBytes, verify as nodeVerify, type KeyObject } from 'node:crypto'
import { sha256 } from '@noble/hashes/sha2.js'
import {
  CAPSULE_READ, Ed25519Key, publicKeyFromDid, type SignatureVerifier, createValidator, decryptContent, delegate, encryptContent, generateContentKey, invoke,
  type Delegation, type Invocation
} from '../../capabilities/index.js'
import { median, percentile, writeResults } from './_util.js'

const NOW = 1_767_225_600
const INFLIGHT = 32
const key = (name: string): Ed25519Key => Ed25519Key.fromSecret(sha256(new TextEncoder().encode(`bench/${name}`)))

function makeChain (depth: number, salt: string): { inv: Invocation, proofs: Delegation[] } {
  const people = Array.from({ length: depth + 1 }, (_, i) => key(`${salt}-${i}`))
  const proofs: Delegation[] = []
  for (let i = 0; i < depth; i++) {
    proofs.push(delegate({ issuer: people[i], audience: people[i + 1].did, subject: people[0].did, command: i === 0 ? '/capsule' : CAPSULE_READ, capsule: 'bafybench', proofs: [...proofs] }))
  }
  const inv = invoke({ issuer: people[depth], subject: people[0].did, command: CAPSULE_READ, capsule: 'bafybench', proofs, issuedAt: NOW, expiration: null })
  return { inv, proofs }
}

/** Operations per second of `op`, run `n` times with `inflight` concurrent. */
async function rate (n: number, inflight: number, op: (i: number) => Promise<unknown>): Promise<number> {
  const t0 = performance.now()
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < n) await op(next++)
  }
  await Promise.all(Array.from({ length: inflight }, worker))
  return n / ((performance.now() - t0) / 1000)
}

function mbps (bytes: number, iterations: number, op: () => void): number {
  const t0 = performance.now()
  for (let i = 0; i < iterations; i++) op()
  return (bytes * iterations) / 1e6 / ((performance.now() - t0) / 1000)
}

/** A node:crypto verifier (async, on the libuv pool): what node/ may inject through `verifier`. */
function nodeCryptoVerifier (): SignatureVerifier {
  const keys = new Map<string, KeyObject>()
  return {
    async verify (did, message, signature) {
      let key = keys.get(did)
      if (key === undefined) {
        key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKeyFromDid(did)).toString('base64url') }, format: 'jwk' })
        keys.set(did, key)
      }
      return await new Promise<boolean>(resolve => nodeVerify(null, message, key, signature, (err, ok) => resolve(err === null && ok)))
    }
  }
}

const fmt = (x: number): string => x >= 1000 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1)

export async function run (args: string[]): Promise<void> {
  const quick = args.includes('--quick')
  const runs = quick ? 3 : 7
  const results: Record<string, unknown> = { runs }
  const rows: string[][] = []

  // Floor: raw WebCrypto Ed25519 verify on the same machine, same run.
  const k = key('floor')
  const msg = new Uint8Array(300).fill(1)
  const sig = k.sign(msg)
  const ck = await crypto.subtle.importKey('raw', k.publicKey as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, ['verify'])
  const floor1: number[] = []
  const floor16: number[] = []
  for (let r = 0; r < runs; r++) {
    floor1.push(await rate(quick ? 1000 : 3000, 1, async () => await crypto.subtle.verify('Ed25519', ck, sig as Uint8Array<ArrayBuffer>, msg)))
    floor16.push(await rate(quick ? 2000 : 6000, INFLIGHT, async () => await crypto.subtle.verify('Ed25519', ck, sig as Uint8Array<ArrayBuffer>, msg)))
  }
  results.webcryptoVerifyPerSec = { sequential: median(floor1), inflight: median(floor16), inflightCount: INFLIGHT }
  rows.push(['Ed25519 verify (WebCrypto, peer floor)', '1', fmt(median(floor1)), fmt(median(floor16)), '-', '-', '-', '-'])

  const chains: Record<string, unknown> = {}
  for (const depth of [1, 3, 8]) {
    // Distinct chains so nothing is shared between iterations of a cold run.
    const pool = Array.from({ length: 64 }, (_, i) => makeChain(depth, `d${depth}-${i}`))
    const cold = createValidator({ cache: false, now: () => NOW })
    for (const c of pool) await cold.validateInvocation(c.inv, { proofs: c.proofs }) // warm the key-import cache and JIT
    const coldSeq: number[] = []
    const coldPar: number[] = []
    const floorHere: number[] = []
    const coldBytes: number[] = []
    const cached: number[] = []
    const n = quick ? 300 : Math.round(2400 / (depth + 1)) * 4
    for (let r = 0; r < runs; r++) {
      coldSeq.push(await rate(n, 1, async i => { const c = pool[i % pool.length]; await cold.validateInvocation(c.inv, { proofs: c.proofs }) }))
      coldPar.push(await rate(n, INFLIGHT, async i => { const c = pool[i % pool.length]; await cold.validateInvocation(c.inv, { proofs: c.proofs }) }))
      // The floor again, in the same time window (the machine is shared and its load drifts).
      floorHere.push(await rate(n * (depth + 1), INFLIGHT, async () => await crypto.subtle.verify('Ed25519', ck, sig as Uint8Array<ArrayBuffer>, msg)) / (depth + 1))
      // From the wire: envelope bytes decoded and hashed each time too.
      coldBytes.push(await rate(n, INFLIGHT, async i => { const c = pool[i % pool.length]; await cold.validateInvocation(c.inv.bytes, { proofs: c.proofs.map(p => p.bytes) }) }))
      const warm = createValidator({ now: () => NOW })
      for (const c of pool) await warm.validateInvocation(c.inv, { proofs: c.proofs })
      cached.push(await rate(quick ? 50_000 : 200_000, 1, async i => {
        const c = pool[i & 63]
        await warm.validateInvocation(c.inv, { proofs: c.proofs, subject: c.inv.payload.sub, command: CAPSULE_READ, capsule: 'bafybench' })
      }))
    }
    // A new invocation over proofs this validator already verified (the usual case in a
    // sync session): one signature to check. Invocations are signed ahead of the timing.
    const base = pool[0]
    const invoker = key(`d${depth}-0-${depth}`)
    const fresh = Array.from({ length: quick ? 300 : 1200 }, () => invoke({ issuer: invoker, subject: base.inv.payload.sub, command: CAPSULE_READ, capsule: 'bafybench', proofs: base.proofs, issuedAt: NOW, expiration: null }))
    const newInv: number[] = []
    for (let r = 0; r < runs; r++) {
      const warmProofs = createValidator({ now: () => NOW })
      await warmProofs.validateInvocation(base.inv, { proofs: base.proofs })
      newInv.push(await rate(fresh.length, INFLIGHT, async i => { await warmProofs.validateInvocation(fresh[i], { proofs: base.proofs }) }))
    }
    chains[`depth${depth}`] = {
      newInvocationKnownProofsPerSec: median(newInv),
      coldSequentialPerSec: median(coldSeq),
      coldInflightPerSec: median(coldPar),
      coldFromBytesInflightPerSec: median(coldBytes),
      cachedPerSec: median(cached),
      coldSequentialP10: percentile(coldSeq, 10),
      cachedP10: percentile(cached, 10),
      verifyFloorPerSec: median(floorHere),
      coldShareOfFloor: median(coldPar) / median(floorHere)
    }
    rows.push([`chain of ${depth} delegation${depth > 1 ? 's' : ''} + invocation`, String(depth + 1), fmt(median(coldSeq)), fmt(median(coldPar)), fmt(median(coldBytes)), fmt(median(newInv)), fmt(median(cached)), `${fmt(median(floorHere))} (${Math.round(100 * median(coldPar) / median(floorHere))}%)`])
  }
  results.chains = chains

  // The same cold 3-deep check with node:crypto injected as the verifier (a node/ option).
  {
    const pool = Array.from({ length: 64 }, (_, i) => makeChain(3, `d3-${i}`))
    const v = createValidator({ cache: false, now: () => NOW, verifier: nodeCryptoVerifier() })
    for (const c of pool) await v.validateInvocation(c.inv, { proofs: c.proofs })
    const seq: number[] = []
    const par: number[] = []
    const n = quick ? 300 : 2400
    for (let r = 0; r < runs; r++) {
      seq.push(await rate(n, 1, async i => { const c = pool[i % 64]; await v.validateInvocation(c.inv, { proofs: c.proofs }) }))
      par.push(await rate(n, INFLIGHT, async i => { const c = pool[i % 64]; await v.validateInvocation(c.inv, { proofs: c.proofs }) }))
    }
    results.depth3NodeCryptoVerifier = { coldSequentialPerSec: median(seq), coldInflightPerSec: median(par) }
    rows.push(['  same, node:crypto verifier injected', '4', fmt(median(seq)), fmt(median(par)), '-', '-', '-', '-'])
  }

  // Encryption throughput.
  const ck32 = generateContentKey()
  const enc: Record<string, unknown> = {}
  for (const size of [64 * 1024, 1024 * 1024]) {
    const data = randomBytes(size)
    const iters = Math.max(4, Math.round((quick ? 8 : 32) * 1024 * 1024 / size))
    const box = encryptContent(ck32, data)
    const e: number[] = []
    const d: number[] = []
    const nodeE: number[] = []
    const nodeKey = randomBytes(32)
    for (let r = 0; r < runs; r++) {
      e.push(mbps(size, iters, () => encryptContent(ck32, data)))
      d.push(mbps(size, iters, () => decryptContent(ck32, box)))
      nodeE.push(mbps(size, iters, () => {
        const c = createCipheriv('chacha20-poly1305', nodeKey, randomBytes(12), { authTagLength: 16 })
        c.update(data); c.final(); c.getAuthTag()
      }))
    }
    // Sanity: node's output decrypts (the peer really ran).
    const iv = randomBytes(12)
    const c = createCipheriv('chacha20-poly1305', nodeKey, iv, { authTagLength: 16 })
    const ct = Buffer.concat([c.update(data), c.final()])
    const dc = createDecipheriv('chacha20-poly1305', nodeKey, iv, { authTagLength: 16 })
    dc.setAuthTag(c.getAuthTag())
    if (!Buffer.concat([dc.update(ct), dc.final()]).equals(data)) throw new Error('node:crypto peer failed')
    enc[`${size / 1024}KiB`] = { encryptMBps: median(e), decryptMBps: median(d), nodeChaCha20Poly1305MBps: median(nodeE) }
    rows.push([`XChaCha20-Poly1305 ${size / 1024} KiB, MB/s`, '-', `enc ${fmt(median(e))}`, `dec ${fmt(median(d))}`, `node:crypto ChaCha20 enc ${fmt(median(nodeE))}`, '-', '-', '-'])
  }
  results.encryption = enc

  const header = ['case', 'signatures', 'cold/s (1 in flight)', `cold/s (${INFLIGHT} in flight)`, `cold from bytes/s (${INFLIGHT})`, `new inv., known proofs/s (${INFLIGHT})`, 'cached/s', 'verify floor/s (cold %)']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)))
  const line = (r: string[]): string => '| ' + r.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |'
  console.log(line(header))
  console.log('|' + widths.map(w => '-'.repeat(w + 2)).join('|') + '|')
  for (const r of rows) console.log(line(r))
  const { loadavg, cpus } = await import('node:os')
  results.machine = { cpus: cpus().length, loadavg: loadavg() }
  console.log(`\nmedians of ${runs} runs; Node ${process.version}; ${cpus().length} CPUs, load average ${loadavg().map(x => x.toFixed(1)).join(' ')}`)
  console.log(`targets: ≥3,000 cold 3-deep chains/s, ≥200,000/s cached; "verify floor" = WebCrypto verifies/s (${INFLIGHT} in flight, same window) ÷ signatures in the chain; cold % = cold (${INFLIGHT} in flight) ÷ floor`)
  await writeResults('capabilities', results)
}
