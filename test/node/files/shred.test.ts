// Crypto-shredding: forgetting a sealed frame destroys its key, so the bytes left in exports made
// before (and in any leftover block) cannot be opened again for it by anything this home holds,
// while the rest of the capsule stays readable by the owner and its readers.
import { describe, it, expect, afterEach } from 'vitest'
import { join } from 'node:path'
import { copyFile, cp, mkdir, readFile, writeFile } from 'node:fs/promises'
import { Level } from 'level'
import { Readable } from 'node:stream'
import { CarReader } from '@ipld/car'
import * as dagCbor from '@ipld/dag-cbor'
import { x25519 } from '@noble/curves/ed25519.js'
import { createNode, type VivimNode } from '../../../node/index.js'
import { CID } from 'multiformats/cid'
import { IDENTITY_FILE, VAULT_FILE, Vault, loadOrCreateIdentity } from '../../../node/home/index.js'
import { Store } from '../../../node/store/index.js'
import { Capsules } from '../../../node/capsules/index.js'
import { PrivateKeys, readFrame } from '../../../node/private/index.js'
import { nativeSigner } from '../../../node/signatures/index.js'
import { createFrame, encodeFrame, encodeSealed } from '../../../dag/index.js'
import { EpochKeyring, decodeKeystore, decodeFrameKeys, isFrameKeysShape, openFrameKeys, type KeyAgreement } from '../../../capabilities/index.js'
import { openNode, type Opened } from './_fixture.js'
import { tempHome, removeHome } from '../../_helpers.js'

let cleanup: Array<() => Promise<void>> = []
afterEach(async () => { for (const c of cleanup.reverse()) await c(); cleanup = [] })

async function open (): Promise<Opened> { const o = await openNode(); cleanup.push(async () => { await o.close() }); return o }

/** A node on a new home holding copies of these files of another home (another device of the same person). */
async function twinOf (home: string, files: string[]): Promise<VivimNode> {
  const twin = await tempHome('vivim-shred-twin-')
  await mkdir(twin, { recursive: true })
  for (const f of files) await copyFile(join(home, f), join(twin, f))
  const node = await createNode({ home: twin, network: false })
  cleanup.push(async () => { await node.stop(); await removeHome(twin) })
  return node
}

/**
 * The frame keys anyone holding this home's secrets (identity key, vault keys) can recover from a
 * capsule file, read with @ipld/car and the capabilities primitives only (no node code).
 */
async function keysRecoverable (home: string, file: string, capsule: string, owner: string): Promise<Set<string>> {
  const key = await decodeKeystore(new Uint8Array(await readFile(join(home, IDENTITY_FILE))))
  const vault = await Vault.open(home, key)
  const readers: KeyAgreement[] = [key, ...vault.secrets(capsule).map(s => ({ did: key.did, x25519PublicKey: x25519.getPublicKey(s), agree: (p: Uint8Array) => x25519.getSharedSecret(s, p) }))]
  const car = await CarReader.fromIterable(Readable.from([await readFile(file)]))
  const epochs: Uint8Array[] = []
  const bundles = []
  for await (const { cid, bytes } of car.blocks()) {
    const v = dagCbor.decode(bytes) as Record<string, unknown>
    if (Array.isArray(v) && v[1] != null && typeof v[1] === 'object' && 'vivim/epoch@1' in v[1]) epochs.push(bytes) // [sig, { h, tag: payload }]
    else if (isFrameKeysShape(v)) bundles.push(decodeFrameKeys(cid as any, bytes))
  }
  const out = new Set<string>()
  for (const reader of readers) {
    const ring = await EpochKeyring.open({ id: capsule, admin: owner, reader, blocks: epochs, skipUnopenable: true })
    for (const b of bundles) {
      try { for (const k of openFrameKeys(ring, b).keys()) out.add(k) } catch {}
    }
  }
  return out
}

async function texts (node: VivimNode, capsule: string): Promise<string[]> {
  const out: string[] = []
  for await (const f of node.timeline(capsule)) out.push(f.text)
  return out.sort()
}

const secrets = ['the launch code is tangerine-42', 'Dr. Okafor said the biopsy is benign', 'my bank PIN hint: grandma birthday']

describe('forgetting a sealed frame destroys its key', () => {
  it('an export made before no longer opens for the forgotten frame, with any secret of the home; the rest stays readable', async () => {
    const a = await open()
    const vault = await a.node.createCapsule('vault', { private: true })
    const { cids } = await a.node.putMany(secrets.map((text, i) => ({ text, uri: `secret://${i}` })), { capsule: 'vault' })
    const [gone, ...kept] = cids
    const before = join(a.home, 'before.car')
    await a.node.exportCapsule('vault', before)
    // The control: before forgetting, the home's secrets recover every key from that file.
    expect([...await keysRecoverable(a.home, before, vault.id, a.node.did)].sort()).toEqual([...cids].sort())

    const r = await a.node.forget(gone)
    expect(r.keysDestroyed).toBe(1)
    expect(r.gc?.deleted).toEqual([gone]) // the ciphertext is useless now: deleted at once
    await expect(a.node.get(gone)).rejects.toMatchObject({ name: 'FrameForgottenError' })
    expect(await texts(a.node, 'vault')).toEqual(secrets.slice(1).sort())
    expect((await a.node.verify()).ok).toBe(true)

    // The old file: nothing this home holds now opens any of its keys (its epoch is gone for good).
    expect(await keysRecoverable(a.home, before, vault.id, a.node.did)).toEqual(new Set())
    // A new export carries the surviving keys only (the tombstone is a sealed frame too).
    const after = join(a.home, 'after.car')
    await a.node.exportCapsule('vault', after)
    expect([...await keysRecoverable(a.home, after, vault.id, a.node.did)].sort()).toEqual([...kept, ...r.tombstones].sort())

    // Bringing the old file back changes nothing: the frame stays forgotten, the rest readable.
    await a.node.importCapsule(before)
    await expect(a.node.get(gone)).rejects.toMatchObject({ name: 'FrameForgottenError' })
    expect(await texts(a.node, 'vault')).toEqual(secrets.slice(1).sort())
    expect((await a.node.verify()).ok).toBe(true)

    // Another device with the home's identity and vault: the old file gives it ciphertext only;
    // the new one everything that was not forgotten.
    const twin = await twinOf(a.home, [IDENTITY_FILE, VAULT_FILE])
    await twin.importCapsule(before)
    const err = await twin.get(gone).then(() => undefined, (e: Error) => e)
    expect(err?.name).toBe('NotAReaderError')
    await twin.importCapsule(after)
    // The tombstone the new file brings lets gc drop the unreadable copy the old file left.
    expect((await twin.gc()).deleted).toEqual([gone])
    await expect(twin.get(gone)).rejects.toMatchObject({ name: 'FrameForgottenError' })
    expect((await twin.get(kept[0])).text).toBe(secrets[1])
    expect(await texts(twin, 'vault')).toEqual(secrets.slice(1).sort())

    // Writing goes on in the new epoch, and a second forget shreds again.
    const { cid: more } = await a.node.put({ text: 'written after the forget', capsule: 'vault' })
    expect((await a.node.forget(kept[1])).keysDestroyed).toBe(1)
    expect((await a.node.get(more)).text).toBe('written after the forget')
    expect(await keysRecoverable(a.home, after, vault.id, a.node.did)).toEqual(new Set())
  })

  it('a copy of the store taken before the forget (what old table files hold) opens nothing with the home\'s secrets after it', async () => {
    const home = await tempHome('vivim-shred-disk-')
    cleanup.push(async () => { await removeHome(home) })
    let node = await createNode({ home, network: false })
    const vault = await node.createCapsule('vault', { private: true })
    const { cids } = await node.putMany(secrets.map(text => ({ text })), { capsule: 'vault' })
    await node.stop()
    const before = join(home, 'store-before')
    await cp(join(home, 'store'), before, { recursive: true })
    await copyFile(join(home, VAULT_FILE), join(home, 'vault-before.key'))

    node = await createNode({ home, network: false })
    expect((await node.forget(cids[0])).keysDestroyed).toBe(1)
    expect((await node.get(cids[1])).text).toBe(secrets[1])
    await node.stop()

    const key = await decodeKeystore(new Uint8Array(await readFile(join(home, IDENTITY_FILE))))
    /** The frame's key, recovered from the old store copy with the identity and the given vault secrets. */
    const recover = async (vaultSecrets: Uint8Array[]): Promise<Uint8Array | undefined> => {
      const db = new Level<string, any>(before, { keyEncoding: 'utf8', valueEncoding: 'view' })
      try {
        const k = db.sublevel<string, string>('k', { keyEncoding: 'utf8', valueEncoding: 'utf8' })
        const b = db.sublevel<string, Uint8Array>('b', { keyEncoding: 'utf8', valueEncoding: 'view' })
        const record = JSON.parse(await k.get(`keyring/${vault.id}`) as string)
        const blocks = await Promise.all((record.blocks as string[]).map(async c => await b.get(Store.blockKey(CID.parse(c))) as Uint8Array))
        const wrapped = Buffer.from(await k.get(`fk/${vault.id}/${cids[0]}`) as string, 'base64')
        for (const reader of [key, ...vaultSecrets.map(s => ({ did: key.did, x25519PublicKey: x25519.getPublicKey(s), agree: (p: Uint8Array) => x25519.getSharedSecret(s, p) }))]) {
          const ring = await EpochKeyring.open({ id: vault.id, admin: key.did, reader, blocks, skipUnopenable: true })
          try { return ring.decrypt(wrapped, new TextEncoder().encode(`vivim/frame-key\u0000${cids[0]}`)) } catch {}
        }
        return undefined
      } finally { await db.close() }
    }
    // The control: the vault as it was opens the old copy; the vault as it is now does not.
    await copyFile(join(home, VAULT_FILE), join(home, 'vault-now.key'))
    const old = new Uint8Array(await readFile(join(home, 'vault-before.key')))
    await writeFile(join(home, VAULT_FILE), old)
    expect(await recover((await Vault.open(home, key)).secrets(vault.id))).toBeInstanceOf(Uint8Array)
    await copyFile(join(home, 'vault-now.key'), join(home, VAULT_FILE))
    expect(await recover((await Vault.open(home, key)).secrets(vault.id))).toBeUndefined()
  })

  it('a reader keeps reading what was not forgotten; a removed reader gets nothing written after', async () => {
    const a = await open()
    const bob = await open()
    await a.node.createCapsule('vault', { private: true })
    const { cid: shareCid } = await a.node.share('vault', { to: bob.node.did, can: 'read' })
    const { cids } = await a.node.putMany(secrets.map(text => ({ text })), { capsule: 'vault' })
    const f = await a.node.forget(cids[0])
    expect(f).toMatchObject({ keysDestroyed: 1, gc: { deleted: [cids[0]] } })
    const file = join(a.home, 'v1.car')
    await a.node.exportCapsule('vault', file)
    await bob.node.importCapsule(file)
    expect((await bob.node.get(cids[1])).text).toBe(secrets[1])
    await expect(bob.node.get(cids[0])).rejects.toMatchObject({ name: 'FrameForgottenError' })

    await a.node.revoke(shareCid)
    const { cid: later } = await a.node.put({ text: 'after bob was removed', capsule: 'vault' })
    const file2 = join(a.home, 'v2.car')
    await a.node.exportCapsule('vault', file2)
    await bob.node.importCapsule(file2)
    const err = await bob.node.get(later).then(() => undefined, (e: Error) => e)
    expect(err?.name).toMatch(/NotAReaderError|UnknownEpochError/)
    expect((await bob.node.get(cids[2])).text).toBe(secrets[2]) // what bob held stays his
  })

  it('a forget cut short after the new vault key was saved leaves the capsule readable, and the next open keeps only the key in use', async () => {
    const home = await tempHome('vivim-shred-cut-')
    cleanup.push(async () => { await removeHome(home) })
    let node = await createNode({ home, network: false })
    const vault = await node.createCapsule('vault', { private: true })
    const { cid } = await node.put({ text: 'still here', capsule: 'vault' })
    await node.stop()
    // What a crash between saving the vault and writing the new epoch leaves: an extra, unused vault key.
    const key = await decodeKeystore(new Uint8Array(await readFile(join(home, IDENTITY_FILE))))
    const v = await Vault.open(home, key)
    await v.add(vault.id, x25519.utils.randomSecretKey())
    expect((await Vault.open(home, key)).secrets(vault.id)).toHaveLength(2)
    node = await createNode({ home, network: false })
    try {
      expect((await node.get(cid)).text).toBe('still here')
      expect((await Vault.open(home, key)).secrets(vault.id)).toHaveLength(1)
    } finally { await node.stop() }
  })
})

describe('frames sealed before frame keys (straight under an epoch key)', () => {
  it('stay readable; forgetting in their capsule destroys frame keys but keeps the epoch keys they need', async () => {
    const home = await tempHome('vivim-shred-legacy-')
    cleanup.push(async () => { await removeHome(home) })
    // What an older vivim wrote: a sealed frame whose box is a keyring ciphertext (version 1).
    const { key } = await loadOrCreateIdentity(home)
    const store = new Store(home)
    await store.open()
    const keys = new PrivateKeys({ store, key, vault: await Vault.open(home, key) })
    const capsules = new Capsules({ store, signer: nativeSigner(key), now: Date.now, onCommit: async () => {}, readFrame: async (c, bytes) => await readFrame(c, bytes, async () => key.did, keys) })
    const { id } = await capsules.create('vault', { rules: { encrypted: true }, extra: async (i) => await keys.create(i) })
    const frame = encodeFrame(createFrame({ text: 'sealed the old way', kind: 'note', author: key.did }))
    const ring = await keys.ring(id, key.did)
    const old = encodeSealed(CID.parse(id), ring.encrypt(frame.bytes))
    await capsules.writer.write({ capsule: id, create: false, branch: 'main', frames: [{ cid: old.cid, bytes: old.bytes, value: frame.value }] })
    await capsules.writer.flush()
    await store.close()

    const node = await createNode({ home, network: false })
    cleanup.push(async () => { await node.stop() })
    expect((await node.get(old.cid.toString())).text).toBe('sealed the old way')
    const { cid } = await node.put({ text: 'sealed with its own key', capsule: 'vault' })
    const r = await node.forget(cid)
    expect(r.keysDestroyed).toBe(1)
    await expect(node.get(cid)).rejects.toMatchObject({ name: 'FrameForgottenError' })
    expect((await node.get(old.cid.toString())).text).toBe('sealed the old way')
    expect((await node.verify()).ok).toBe(true)
  })
})
