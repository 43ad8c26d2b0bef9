// A private capsule travels as ciphertext: its sealed frames and its keyring (epoch blocks) are in
// the file, no plaintext is; a node holding a reader's key reads it after import, others hold it sealed.
import { describe, it, expect, afterEach } from 'vitest'
import { join } from 'node:path'
import { copyFile, mkdir, readFile } from 'node:fs/promises'
import { createNode } from '../../../node/index.js'
import { IDENTITY_FILE, VAULT_FILE } from '../../../node/home/index.js'
import { openNode, storeDigest, type Opened } from './_fixture.js'
import { tempHome, removeHome } from '../../_helpers.js'

let opened: Opened[] = []
afterEach(async () => { for (const o of opened) await o.close(); opened = [] })

const secrets = ['the launch code is tangerine-42', 'Dr. Okafor said the biopsy is benign', 'my bank PIN hint: grandma birthday']

describe('private capsules in capsule files', () => {
  it('export holds no plaintext; the owner\'s key reads the import, a stranger holds it sealed; forget and gc work on sealed frames', async () => {
    const a = await openNode(); opened.push(a)
    await a.node.createCapsule('vault', { private: true })
    const { cids } = await a.node.putMany(secrets.map((text, i) => ({ text, uri: `secret://${i}` })), { capsule: 'vault' })
    const file = join(a.home, 'vault.car')
    const r = await a.node.exportCapsule('vault', file)
    expect(r.frames).toBe(3)
    const bytes = await readFile(file)
    for (const s of secrets) expect(bytes.includes(Buffer.from(s))).toBe(false)
    expect((await a.node.verifyFile(file)).ok).toBe(true)

    // A stranger imports the ciphertext: it verifies and replicates, but cannot read it.
    const stranger = await openNode(); opened.push(stranger)
    const s = await stranger.node.importCapsule(file)
    expect(s.frames.added).toBe(3)
    expect((await stranger.node.verify()).problems).toEqual([])
    const err = await stranger.node.get(cids[0]).then(() => undefined, (e: Error) => e)
    expect(err?.name).toMatch(/NotAReaderError|UnknownEpochError/)

    // The owner's identity and vault on another device read everything after import.
    const home = await tempHome('vivim-files-owner-')
    await mkdir(home, { recursive: true })
    await copyFile(join(a.home, IDENTITY_FILE), join(home, IDENTITY_FILE))
    await copyFile(join(a.home, VAULT_FILE), join(home, VAULT_FILE))
    const twin = await createNode({ home, network: false })
    try {
      await twin.importCapsule(file)
      const texts: string[] = []
      for await (const f of twin.timeline('vault')) texts.push(f.text)
      expect(texts.sort()).toEqual([...secrets].sort())
      expect((await twin.get(cids[1])).text).toBe(secrets[1])
      expect(await twin.hasUri('secret://2')).toBe(true)
      const before = await storeDigest(twin)
      await twin.importCapsule(file)
      expect(await storeDigest(twin)).toBe(before)
    } finally {
      await twin.stop(); await removeHome(home)
    }

    // Forgetting a sealed frame: the tombstone is sealed too, and gc deletes the block.
    const f = await a.node.forget(cids[0], { gc: true })
    expect(f.gc?.deleted).toEqual([cids[0]])
    await expect(a.node.get(cids[0])).rejects.toMatchObject({ name: 'FrameForgottenError' })
    const texts: string[] = []
    for await (const x of a.node.timeline('vault')) texts.push(x.text)
    expect(texts.sort()).toEqual(secrets.slice(1).sort())
  })
})
