import { CID } from 'multiformats/cid'
import {
  delegate, invoke, createValidator, createRevocation, createRevocationStore, decodeRevocation, exportTokens, importTokens, toToken, nowSeconds,
  CAPSULE_READ, CAPSULE_APPEND, CAPSULE_REPLICATE,
  type Delegation, type Invocation, type Ed25519Key, type Token, type TokenInput, type ValidatedInvocation, type Validator, type RevocationStore
} from '../../capabilities/index.js'
import type { Store } from '../store/index.js'
import type { Refs } from '../capsules/index.js'
import { ShareForbiddenError, TokenNotFoundError } from './errors.js'
import { InvalidParametersError } from '../errors.js'

/** What `--can` accepts, and the UCAN command each grants (whole-segment prefixes: /capsule/read grants nothing else). */
export const ABILITIES = { read: CAPSULE_READ, append: CAPSULE_APPEND, replicate: CAPSULE_REPLICATE } as const
export type Ability = keyof typeof ABILITIES

/** A token as `tokens()` lists it. */
export interface TokenRecord {
  cid: string
  direction: 'issued' | 'received'
  issuer: string
  audience: string
  subject: string | null
  command: string
  capsule?: string
  /** Unix seconds, or null for none. */
  expires: number | null
  /** When this node stored it (ms). */
  stored: number
  revoked: boolean
}

export interface ShareOptions {
  to: string
  can: Ability
  /** Expiry in Unix seconds (none by default). */
  expires?: number
}

/**
 * The node's capability tokens: delegations it issued (`share`) and received, revocations it
 * signed or learned. Token and revocation bytes are stored as blocks (so they travel with the
 * capsules they concern); the `k` sublevel indexes them. One validator per node, with its
 * verified-proof cache and the node's revocations.
 */
export class Tokens {
  readonly #store: Store
  readonly #refs: Refs
  readonly #key: Ed25519Key
  readonly revocations: RevocationStore
  readonly validator: Validator
  #loaded: Promise<void> | undefined

  constructor (init: { store: Store, refs: Refs, key: Ed25519Key, now?: () => number }) {
    this.#store = init.store
    this.#refs = init.refs
    this.#key = init.key
    this.revocations = createRevocationStore()
    this.validator = createValidator({ revocations: this.revocations, now: init.now != null ? () => Math.floor((init.now as () => number)() / 1000) : undefined })
  }

  /** Loads stored revocations into the validator, once. */
  async #load (): Promise<void> {
    this.#loaded ??= (async () => {
      for await (const [, rec] of this.#store.subs.k.iterator({ gt: 'revocation/', lt: 'revocation/\uffff' })) {
        const bytes = await this.#store.getBlockUnsafe(CID.parse(rec.cid))
        if (bytes != null) await this.validator.addRevocation(bytes)
      }
    })()
    await this.#loaded
  }

  async #put (token: Token, direction: 'issued' | 'received'): Promise<TokenRecord> {
    const p = token.payload as any
    const capsule = policyCapsule(p.pol)
    const rec: TokenRecord = { cid: token.cid.toString(), direction, issuer: p.iss, audience: p.aud, subject: p.sub ?? null, command: p.cmd, expires: p.exp ?? null, stored: Date.now(), revoked: false }
    if (capsule !== undefined) rec.capsule = capsule
    await this.#store.write({ blocks: [{ cid: token.cid, bytes: token.bytes }], puts: [{ sub: 'k', key: `${direction}/${rec.cid}`, value: rec }] })
    return rec
  }

  /**
   * Delegates `can` on a capsule to a DID and returns the printable token bundle (the chain,
   * root first). The owner delegates directly; another holder re-delegates through the chain it
   * received, which the capsule's rules may forbid (reshare: false).
   *
   * @throws {ShareForbiddenError} when this node holds no capability to pass on, or the rules forbid it
   */
  async share (capsuleNameOrId: string, opts: ShareOptions): Promise<{ token: string, cid: string, record: TokenRecord }> {
    const command = ABILITIES[opts.can]
    if (command === undefined) throw new InvalidParametersError(`--can must be one of ${Object.keys(ABILITIES).join(', ')}`)
    const id = await this.#refs.resolve(capsuleNameOrId)
    const rec = await this.#refs.record(id)
    let proofs: Delegation[] = []
    if (rec.owner !== this.#key.did) {
      if (rec.rules?.reshare === false) throw new ShareForbiddenError(`The owner of ${rec.name} does not allow re-sharing it`)
      proofs = await this.#chainFor(id, command)
      if (proofs.length === 0) throw new ShareForbiddenError(`This node holds no capability for ${command} on ${rec.name} to pass on`)
    }
    const d = delegate({ issuer: this.#key, audience: opts.to, subject: rec.owner, command, capsule: id, expiration: opts.expires ?? null, proofs })
    const record = await this.#put(d, 'issued')
    return { token: exportTokens([...proofs, d]), cid: record.cid, record }
  }

  /** A received chain (root first) that grants `command` on the capsule to this node, if any. */
  async #chainFor (capsule: string, command: string): Promise<Delegation[]> {
    for await (const [, r] of this.#store.subs.k.iterator({ gt: 'chain/', lt: 'chain/\uffff' })) {
      if (r.capsule !== capsule) continue
      const tokens: Delegation[] = []
      for (const c of r.chain as string[]) {
        const bytes = await this.#store.getBlock(CID.parse(c))
        tokens.push(toToken(bytes) as Delegation)
      }
      try {
        await this.validator.validateChain(tokens, { audience: this.#key.did, command, args: { capsule } })
        return tokens
      } catch {}
    }
    return []
  }

  /**
   * Signs an invocation of `command` on a capsule this node was given access to, addressed to
   * `audience` (the node that serves it), with the received chain as proofs.
   *
   * @throws {ShareForbiddenError} when no received chain grants the command
   */
  async invoke (capsule: string, command: string, audience: string, opts: { expiration?: number } = {}): Promise<{ invocation: Invocation, proofs: Delegation[] }> {
    await this.#load()
    const proofs = await this.#chainFor(capsule, command)
    if (proofs.length === 0) throw new ShareForbiddenError(`This node holds no capability for ${command} on ${capsule}`)
    const subject = proofs[0].payload.sub as string
    const invocation = invoke({ issuer: this.#key, subject, command, capsule, proofs, audience, expiration: opts.expiration })
    return { invocation, proofs }
  }

  /**
   * Stores a token bundle someone shared with this node, after checking the chain is valid now
   * and delegated to this node.
   */
  async receive (bundle: string): Promise<TokenRecord[]> {
    await this.#load()
    const tokens = importTokens(bundle)
    const chain = tokens.filter(t => t.kind === 'delegation') as Delegation[]
    const last = chain[chain.length - 1]
    await this.validator.validateChain(chain, { audience: this.#key.did, now: nowSeconds() })
    const out: TokenRecord[] = []
    for (const t of chain) out.push(await this.#put(t, 'received'))
    const capsule = policyCapsule((last.payload as any).pol)
    await this.#store.write({ blocks: [], puts: [{ sub: 'k', key: `chain/${last.cid.toString()}`, value: { capsule, chain: chain.map(t => t.cid.toString()) } }] })
    return out
  }

  /** Issued and received tokens, newest first. */
  async list (): Promise<TokenRecord[]> {
    await this.#load()
    const out: TokenRecord[] = []
    for (const prefix of ['issued/', 'received/']) {
      for await (const [, r] of this.#store.subs.k.iterator({ gt: prefix, lt: prefix + '\uffff' })) {
        out.push({ ...r, revoked: this.revocations.has(r.cid) })
      }
    }
    return out.sort((a, b) => b.stored - a.stored)
  }

  /**
   * Revokes a delegation this node issued (or one in a chain it is part of): signs a revocation
   * record, stores it as a block, and refuses every chain through that token from now on.
   */
  async revoke (cid: string, reason?: string): Promise<{ revocation: string, revoked: string }> {
    await this.#load()
    let target: CID
    try { target = CID.parse(cid) } catch { throw new InvalidParametersError(`"${cid}" is not a token CID`) }
    const known = (await this.#store.subs.k.get(`issued/${cid}`)) ?? (await this.#store.subs.k.get(`received/${cid}`))
    if (known == null) throw new TokenNotFoundError(`No token ${cid} was issued or received here`)
    const rec = createRevocation({ issuer: this.#key, revoke: target, reason })
    await this.validator.addRevocation(rec.token)
    await this.#store.write({ blocks: [{ cid: rec.token.cid, bytes: rec.token.bytes }], puts: [{ sub: 'k', key: `revocation/${rec.token.cid.toString()}`, value: { cid: rec.token.cid.toString(), revoked: cid } }] })
    return { revocation: rec.token.cid.toString(), revoked: cid }
  }

  /** Learns a revocation record signed by someone else (it spreads with the capsule it concerns). */
  async learnRevocation (record: TokenInput): Promise<void> {
    await this.#load()
    const r = decodeRevocation(record)
    await this.validator.addRevocation(r.token)
    await this.#store.write({ blocks: [{ cid: r.token.cid, bytes: r.token.bytes }], puts: [{ sub: 'k', key: `revocation/${r.token.cid.toString()}`, value: { cid: r.token.cid.toString(), revoked: r.revoked.toString() } }] })
  }

  /**
   * Checks an invocation addressed to this node for a capsule it serves: signature chain, expiry,
   * audience, subject (the capsule's owner), command (whole segments), the capsule named in the
   * policy, and revocations. Throws the UCAN error names (Expired, InvalidClaim, Revoked, …).
   */
  async authorize (invocation: TokenInput, check: { capsule: string, command: string, proofs?: TokenInput[], now?: number }): Promise<ValidatedInvocation> {
    await this.#load()
    const id = await this.#refs.resolve(check.capsule)
    const rec = await this.#refs.record(id)
    return await this.validator.validateInvocation(invocation, { proofs: check.proofs, subject: rec.owner, command: check.command, capsule: id, audience: this.#key.did, now: check.now })
  }
}

function policyCapsule (pol: unknown): string | undefined {
  if (!Array.isArray(pol)) return undefined
  for (const s of pol) if (Array.isArray(s) && s[0] === '==' && s[1] === '.capsule' && typeof s[2] === 'string') return s[2]
  return undefined
}
