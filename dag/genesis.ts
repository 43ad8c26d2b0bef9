import * as dagCbor from '@ipld/dag-cbor'
import type { CID } from 'multiformats/cid'
import { encodeBlock, decodeBlock } from './block.js'
import { MAX_NAME_LENGTH, SCHEMA_VERSION } from './constants.js'
import { InvalidRecordError, InvalidSignatureError } from './errors.js'
import { bytes, did, int, isPlainObject, onlyKeys, record, str } from './_validate.js'
import type { CapsuleRules, DagSigner, EncodedBlock, Genesis, SignatureVerifier } from './interface.js'

const GENESIS_KEYS = ['v', 'type', 'name', 'owner', 'created', 'nonce', 'rules', 'sig'] as const
const RULE_KEYS = ['expires', 'retention', 'reshare', 'encrypted'] as const

/** Capsule names: letters, digits, and . _ - / (no spaces, no leading dot or slash). */
export const CAPSULE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._\-/]*$/

/** Checks a capsule name; throws InvalidRecordError naming the problem. */
export function validateCapsuleName (name: unknown): string {
  const s = str(name, 'capsule name', MAX_NAME_LENGTH)
  if (!CAPSULE_NAME.test(s)) throw new InvalidRecordError(`capsule name "${s}" may hold only letters, digits and . _ - /`)
  return s
}

function validateRules (v: unknown): CapsuleRules {
  const obj = record(v, 'genesis.rules')
  onlyKeys(obj, RULE_KEYS, 'genesis.rules')
  const rules: CapsuleRules = {}
  if (obj.expires !== undefined) rules.expires = int(obj.expires, 'rules.expires')
  if (obj.retention !== undefined) rules.retention = int(obj.retention, 'rules.retention')
  if (obj.reshare !== undefined) {
    if (typeof obj.reshare !== 'boolean') throw new InvalidRecordError('rules.reshare must be a boolean')
    rules.reshare = obj.reshare
  }
  if (obj.encrypted !== undefined) {
    if (typeof obj.encrypted !== 'boolean') throw new InvalidRecordError('rules.encrypted must be a boolean')
    rules.encrypted = obj.encrypted
  }
  return rules
}

/** Validates a genesis record's shape (not its signature). */
export function validateGenesis (value: unknown): Genesis {
  const obj = record(value, 'genesis')
  onlyKeys(obj, GENESIS_KEYS, 'genesis')
  if (obj.v !== SCHEMA_VERSION) throw new InvalidRecordError(`genesis.v must be ${SCHEMA_VERSION}`)
  if (obj.type !== 'capsule') throw new InvalidRecordError('genesis.type must be "capsule"')
  const g: Genesis = {
    v: SCHEMA_VERSION,
    type: 'capsule',
    name: validateCapsuleName(obj.name),
    owner: did(obj.owner, 'genesis.owner'),
    created: int(obj.created, 'genesis.created'),
    nonce: bytes(obj.nonce, 'genesis.nonce'),
    sig: bytes(obj.sig, 'genesis.sig')
  }
  if (obj.rules !== undefined) g.rules = validateRules(obj.rules)
  return g
}

/** The bytes an owner signs: the dag-cbor encoding of the genesis without `sig`. */
export function genesisSigningBytes (g: Omit<Genesis, 'sig'> | Genesis): Uint8Array {
  const { sig: _sig, ...rest } = g as Genesis
  return dagCbor.encode(rest)
}

/** Makes and signs a capsule genesis. */
export function createGenesis (init: { name: string, owner: DagSigner, rules?: CapsuleRules, created?: number, nonce?: Uint8Array }): EncodedBlock<Genesis> {
  const unsigned: Record<string, unknown> = {
    v: SCHEMA_VERSION,
    type: 'capsule',
    name: validateCapsuleName(init.name),
    owner: init.owner.did,
    created: init.created ?? Date.now(),
    nonce: init.nonce ?? crypto.getRandomValues(new Uint8Array(16))
  }
  if (init.rules !== undefined && isPlainObject(init.rules) && Object.keys(init.rules).length > 0) unsigned.rules = validateRules(init.rules)
  const sig = init.owner.sign(genesisSigningBytes(unsigned as unknown as Genesis))
  return encodeBlock(validateGenesis({ ...unsigned, sig }))
}

/**
 * Decodes a genesis block: hash, shape, and (when a verifier is given) the owner's signature.
 *
 * @throws {InvalidSignatureError} when the signature does not verify
 */
export function decodeGenesis (cid: CID, data: Uint8Array, verify?: SignatureVerifier): Genesis {
  const g = validateGenesis(decodeBlock(cid, data))
  if (verify != null && !verify(g.owner, genesisSigningBytes(g), g.sig)) throw new InvalidSignatureError(`Genesis ${cid.toString()} has an invalid signature`)
  return g
}
