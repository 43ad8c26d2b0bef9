// The manifest: a small dag-cbor block carried as the last root of a capsule file. It names the
// capsule (its genesis CID), each branch's heads, and the frames whose content was forgotten
// (their blocks are absent on purpose), and it is signed by the exporter, so an importer knows
// who re-shared the capsule and which branch is which. Any IPLD tool sees an ordinary block.
import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { encodeBlock, InvalidRecordError, InvalidSignatureError, type DagSigner, type EncodedBlock, type SignatureVerifier } from '../../dag/index.js'
import { MANIFEST_TYPE } from './constants.js'
import type { Manifest } from './interface.js'

const KEYS = ['v', 'type', 'capsule', 'branches', 'forgotten', 'keyring', 'exporter', 'time', 'sig']
const BRANCH = /^[A-Za-z0-9_][A-Za-z0-9._\-/]{0,127}$/

function asCid (v: unknown, field: string): CID {
  const c = CID.asCID(v)
  if (c == null) throw new InvalidRecordError(`manifest.${field} must be a CID link`)
  return c
}

function asList (v: unknown, field: string): unknown[] {
  if (!Array.isArray(v)) throw new InvalidRecordError(`manifest.${field} must be a list`)
  return v
}

/** The bytes the exporter signs: the manifest without `sig`, as dag-cbor. */
export function manifestSigningBytes (m: Omit<Manifest, 'sig'> | Manifest): Uint8Array {
  const { sig: _sig, ...rest } = m as Manifest
  return dagCbor.encode(rest)
}

/** Makes and signs a manifest block. */
export function createManifest (init: { capsule: CID, branches: Record<string, CID[]>, forgotten: CID[], keyring?: CID[], exporter: DagSigner, time: number }): EncodedBlock<Manifest> {
  const unsigned: Omit<Manifest, 'sig'> = { v: 1, type: MANIFEST_TYPE, capsule: init.capsule, branches: init.branches, forgotten: init.forgotten, exporter: init.exporter.did, time: init.time }
  if (init.keyring != null && init.keyring.length > 0) unsigned.keyring = init.keyring
  return encodeBlock({ ...unsigned, sig: init.exporter.sign(manifestSigningBytes(unsigned)) })
}

/** True when a decoded block looks like a manifest (its `type`). */
export function isManifest (value: unknown): boolean {
  return value != null && typeof value === 'object' && (value as any).type === MANIFEST_TYPE
}

/**
 * Validates a decoded manifest's shape and the exporter's signature.
 *
 * @throws {InvalidRecordError} on a wrong shape
 * @throws {InvalidSignatureError} when the signature does not verify
 */
export function validateManifest (value: unknown, verify: SignatureVerifier): Manifest {
  const o = value as Record<string, unknown>
  if (o == null || typeof o !== 'object' || Array.isArray(o)) throw new InvalidRecordError('manifest must be a map')
  for (const k of Object.keys(o)) if (!KEYS.includes(k)) throw new InvalidRecordError(`manifest has unknown field "${k}"`)
  if (o.v !== 1 || o.type !== MANIFEST_TYPE) throw new InvalidRecordError('manifest version or type is wrong')
  const b = o.branches as Record<string, unknown>
  if (b == null || typeof b !== 'object' || Array.isArray(b)) throw new InvalidRecordError('manifest.branches must be a map')
  const branches: Record<string, CID[]> = {}
  for (const [name, heads] of Object.entries(b)) {
    if (!BRANCH.test(name)) throw new InvalidRecordError('manifest branch name is invalid')
    if (!Array.isArray(heads)) throw new InvalidRecordError(`manifest.branches.${name} must be a list`)
    branches[name] = heads.map((h, i) => asCid(h, `branches.${name}[${i}]`))
  }
  if (!Array.isArray(o.forgotten)) throw new InvalidRecordError('manifest.forgotten must be a list')
  if (typeof o.exporter !== 'string' || !o.exporter.startsWith('did:')) throw new InvalidRecordError('manifest.exporter must be a DID')
  if (typeof o.time !== 'number' || !Number.isSafeInteger(o.time)) throw new InvalidRecordError('manifest.time must be an integer')
  if (!(o.sig instanceof Uint8Array)) throw new InvalidRecordError('manifest.sig must be bytes')
  const m: Manifest = {
    v: 1,
    type: MANIFEST_TYPE,
    capsule: asCid(o.capsule, 'capsule'),
    branches,
    forgotten: o.forgotten.map((f, i) => asCid(f, `forgotten[${i}]`)),
    ...(o.keyring !== undefined ? { keyring: asList(o.keyring, 'keyring').map((k, i) => asCid(k, `keyring[${i}]`)) } : {}),
    exporter: o.exporter,
    time: o.time,
    sig: o.sig
  }
  if (!verify(m.exporter, manifestSigningBytes(m), m.sig)) throw new InvalidSignatureError('The manifest\'s signature by its exporter does not verify')
  return m
}
