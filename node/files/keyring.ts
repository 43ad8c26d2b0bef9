// Opening a private capsule's sealed frames during an import, from the epoch blocks the file
// carries (and those the node holds): the node's own keyring cache knows nothing of them yet.
import * as dagCbor from '@ipld/dag-cbor'
import { EpochKeyring, type Ed25519Key } from '../../capabilities/index.js'
import { validateFrame, type Frame, type SealedFrame } from '../../dag/index.js'

/**
 * Returns an opener for sealed frames of `capsule` as `key`'s holder reads them.
 *
 * @throws {NotAReaderError} (from the opener) when this node holds no key for a frame's epoch
 */
export function sealedOpenerFor (key: Ed25519Key): (capsule: string, owner: string, epochBlocks: Uint8Array[]) => Promise<(sealed: SealedFrame) => Frame> {
  return async (capsule, owner, epochBlocks) => {
    const ring = await EpochKeyring.open({ id: capsule, admin: owner, reader: key, blocks: epochBlocks })
    return (sealed) => validateFrame(dagCbor.decode(ring.decrypt(sealed.box)))
  }
}
