import { describe, it, expect, afterEach } from 'vitest'
import { createNode, type VivimNode } from '../../node/index.js'
import { CAPSULE_READ, CAPSULE_APPEND, nowSeconds } from '../../capabilities/index.js'
import { tempHome, removeHome } from '../_helpers.js'

let cleanup: Array<() => Promise<void>> = []
afterEach(async () => { for (const c of cleanup) await c(); cleanup = [] })
async function open (): Promise<VivimNode> {
  const home = await tempHome()
  const node = await createNode({ home, network: false })
  cleanup.push(async () => { await node.stop(); await removeHome(home) })
  return node
}

describe('sharing with UCAN tokens', () => {
  it('a reader invokes with the shared chain; the owner authorizes it for that capsule and command only', async () => {
    const [alice, bob] = [await open(), await open()]
    const recipes = await alice.createCapsule('recipes')
    const diary = await alice.createCapsule('diary')
    const { token } = await alice.share('recipes', { to: bob.did, can: 'read' })
    await bob.receiveTokens(token)

    const { invocation, proofs } = await bob.invoke(recipes.id, CAPSULE_READ, alice.did)
    const ok = await alice.authorize(invocation, { capsule: 'recipes', command: CAPSULE_READ, proofs })
    expect(ok).toBeDefined()
    // The same invocation does not open another capsule, nor a wider command.
    await expect(alice.authorize(invocation, { capsule: diary.id, command: CAPSULE_READ, proofs })).rejects.toMatchObject({ name: expect.stringMatching(/^(InvalidClaim|MatchError|InvalidSubject)$/) })
    await expect(bob.invoke(recipes.id, CAPSULE_APPEND, alice.did)).rejects.toMatchObject({ name: 'ShareForbiddenError' })
    await expect(alice.authorize(invocation, { capsule: 'recipes', command: CAPSULE_APPEND, proofs })).rejects.toMatchObject({ name: 'InvalidClaim' })
  })

  it('revocation refuses every invocation through the revoked token', async () => {
    const [alice, bob] = [await open(), await open()]
    const notes = await alice.createCapsule('notes')
    const { token, cid } = await alice.share('notes', { to: bob.did, can: 'read' })
    await bob.receiveTokens(token)
    const bobShare = await bob.invoke(notes.id, CAPSULE_READ, alice.did)
    expect(bobShare.proofs).toHaveLength(1)
    const { invocation, proofs } = bobShare
    await alice.authorize(invocation, { capsule: notes.id, command: CAPSULE_READ, proofs })
    await alice.revoke(cid)
    await expect(alice.authorize(invocation, { capsule: notes.id, command: CAPSULE_READ, proofs })).rejects.toMatchObject({ name: 'Revoked' })
    expect((await alice.tokens()).find(t => t.cid === cid)?.revoked).toBe(true)
  })

  it('an expired token is refused; a token for someone else is refused on receipt', async () => {
    const [alice, bob, mallory] = [await open(), await open(), await open()]
    const c = await alice.createCapsule('c')
    const soon = nowSeconds() + 60
    const { token } = await alice.share('c', { to: bob.did, can: 'read', expires: soon })
    await bob.receiveTokens(token)
    const { invocation, proofs } = await bob.invoke(c.id, CAPSULE_READ, alice.did, { expiration: soon + 3600 })
    await expect(alice.authorize(invocation, { capsule: 'c', command: CAPSULE_READ, proofs, now: soon + 10 })).rejects.toMatchObject({ name: 'Expired' })
    await expect(mallory.receiveTokens(token)).rejects.toMatchObject({ name: 'InvalidAudience' })
  })

  it('a node cannot share a capsule it does not hold, nor an ability that does not exist', async () => {
    const [alice, bob] = [await open(), await open()]
    await alice.createCapsule('private')
    await expect(bob.share('nope', { to: alice.did, can: 'read' })).rejects.toMatchObject({ name: 'CapsuleNotFoundError' })
    await expect(alice.share('private', { to: bob.did, can: 'everything' as any })).rejects.toMatchObject({ name: 'InvalidParametersError' })
  })
})
