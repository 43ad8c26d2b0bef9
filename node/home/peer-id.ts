import { base58btc } from 'multiformats/bases/base58'
import { publicKeyFromDid } from '../../capabilities/index.js'

/**
 * The libp2p peer id of an Ed25519 did:key: the identity multihash of the protobuf-encoded
 * public key (libp2p peer-ids spec: KeyType Ed25519 = 1), in base58btc ("12D3KooW…").
 */
export function peerIdFromDid (did: string): string {
  const pub = publicKeyFromDid(did)
  const proto = new Uint8Array([0x08, 0x01, 0x12, 0x20, ...pub])
  const mh = new Uint8Array([0x00, proto.length, ...proto])
  return base58btc.encode(mh).slice(1)
}
