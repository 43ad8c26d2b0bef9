import { describe, it, expect, afterEach } from 'vitest'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createNode, type VivimNode } from '../../node/index.js'
import { tempHome, removeHome, runCli } from '../_helpers.js'

let cleanup: Array<() => Promise<void>> = []
afterEach(async () => { for (const c of cleanup) await c(); cleanup = [] })

function msg (id: string, parent: string | null, children: string[], role: string | null, text: string | null, t: number): unknown {
  return { id, parent, children, message: role == null ? null : { id, author: { role }, create_time: t, content: { content_type: 'text', parts: [text] }, status: 'finished_successfully', metadata: {} } }
}

/** A ChatGPT export with one regenerated answer: the visible thread ends at a2 (current_node). */
const branched = [{
  title: 'Trip to Porto',
  id: 'conv-porto',
  create_time: 1_700_000_000,
  update_time: 1_700_000_100,
  current_node: 'a2',
  mapping: {
    root: msg('root', null, ['u1'], null, null, 0),
    u1: msg('u1', 'root', ['a1', 'a2'], 'user', 'Where should we eat in Porto?', 1_700_000_010),
    a1: msg('a1', 'u1', [], 'assistant', 'Try the francesinha at Café Santiago.', 1_700_000_020),
    a2: msg('a2', 'u1', [], 'assistant', 'Cantinho do Avillez is a great choice for dinner.', 1_700_000_030)
  }
}]

async function open (): Promise<{ node: VivimNode, home: string }> {
  const home = await tempHome()
  const node = await createNode({ home, network: false })
  cleanup.push(async () => { await node.stop(); await removeHome(home) })
  return { node, home }
}

describe('node.import', () => {
  it('keeps the visible thread on main, other branches as capsule branches, and is idempotent', async () => {
    const { node, home } = await open()
    const file = join(home, 'conversations.json')
    await writeFile(file, JSON.stringify(branched))
    const report = await node.import(file)
    expect(report).toMatchObject({ format: 'chatgpt', conversations: 1 })
    expect(report.added).toBeGreaterThanOrEqual(2)

    const main = []
    for await (const f of node.timeline('chatgpt')) main.push(f)
    expect(main.map(f => f.text)).toEqual(['Where should we eat in Porto?', 'Cantinho do Avillez is a great choice for dinner.'])
    expect(main.map(f => f.role)).toEqual(['user', 'assistant'])
    expect(main[0].time).toBe(1_700_000_010_000)
    const info = await node.capsule('chatgpt')
    const branches = info.branches.filter(b => b !== 'main')
    expect(branches.length).toBe(1)
    const alt = []
    for await (const f of node.timeline('chatgpt', { branch: branches[0] })) alt.push(f.text)
    expect(alt).toContain('Try the francesinha at Café Santiago.')

    // The regenerated answer is not in the main thread's search results; the visible one is.
    expect((await node.search('francesinha')).length).toBe(0)
    expect((await node.search('Avillez dinner'))[0]?.text).toContain('Avillez')

    const log = await node.log('chatgpt', { branch: 'main' })
    const again = await node.import(file)
    expect(again.added).toBe(0)
    expect(await node.log('chatgpt', { branch: 'main' })).toEqual(log)
    expect((await node.verify()).ok).toBe(true)
  })

  it('gathers many conversations per commit, keeps each thread whole, and never writes a message twice', async () => {
    const { node, home } = await open()
    const conv = (i: number): unknown => ({
      title: `Conversation ${i}`,
      id: `conv-${i}`,
      create_time: 1_700_000_000 + i * 100,
      update_time: 1_700_000_000 + i * 100 + 50,
      current_node: 'a',
      mapping: {
        root: msg('root', null, ['u'], null, null, 0),
        u: msg('u', 'root', ['a'], 'user', `question number ${i}`, 1_700_000_000 + i * 100 + 1),
        a: msg('a', 'u', [], 'assistant', `answer number ${i}`, 1_700_000_000 + i * 100 + 2)
      }
    })
    // 300 conversations, the 7th listed twice (an overlapping export): its messages are stored once
    const list = Array.from({ length: 300 }, (_, i) => conv(i))
    list.push(conv(7))
    const file = join(home, 'conversations.json')
    await writeFile(file, JSON.stringify(list))
    const report = await node.import(file)
    expect(report).toMatchObject({ conversations: 301, messages: 602, added: 600, alreadyPresent: 2 })
    const frames = []
    for await (const f of node.timeline('chatgpt')) frames.push(f)
    expect(frames).toHaveLength(600)
    expect(new Set(frames.map(f => f.uri)).size).toBe(600)
    // far fewer commits than conversations: the import did not pay a commit per thread
    const log = await node.log('chatgpt')
    expect(log.length).toBeGreaterThan(0)
    expect(log.length).toBeLessThan(30)
    expect((await node.search('answer number 299'))[0]?.text).toBe('answer number 299')
    expect((await node.verify()).ok).toBe(true)
  })

  it('hasUris finds exactly the stored uris, whatever they share', async () => {
    const { node } = await open()
    const stored = ['chat://a/1', 'chat://a/2', 'chat://b/1', 'chat://ü/😀', 'chat://a/10']
    await node.putMany(stored.map(uri => ({ text: uri, uri })))
    const asked = ['chat://a/1', 'chat://a/3', 'chat://a/10', 'chat://a/1/x', 'chat://b/1', 'chat://ü/😀', 'chat://ü/😁', 'chat://c', 'chat://a/']
    expect([...await node.hasUris(asked)].sort()).toEqual(['chat://a/1', 'chat://a/10', 'chat://b/1', 'chat://ü/😀'].sort())
    // a seek past the last key, then one back to a stored uri
    expect(await node.hasUris(['chat://zzz', 'chat://a/2'])).toEqual(new Set(['chat://a/2']))
    // none stored under their common prefix: one seek answers
    expect(await node.hasUris(['chat://z/1', 'chat://z/2'])).toEqual(new Set())
    expect(await node.hasUris([])).toEqual(new Set())
    for (const u of asked) expect(await node.hasUri(u)).toBe(stored.includes(u))
  })

  it('a file that is not an export is refused and nothing is written', async () => {
    const { node, home } = await open()
    const file = join(home, 'garbage.json')
    await writeFile(file, '{"hello": [1, 2, 3], "not": "an export"}')
    await expect(node.import(file)).rejects.toMatchObject({ name: 'NotAnExportError' })
    expect(await node.capsules()).toEqual([])
  })

  it('vivim import prints a summary and --json the report', async () => {
    const home = await tempHome()
    cleanup.push(async () => { await removeHome(home) })
    const file = join(home, 'c.json')
    await writeFile(file, JSON.stringify(branched))
    const r = await runCli(['import', file, '--json'], { home })
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ format: 'chatgpt', conversations: 1 })
    const again = await runCli(['import', file], { home })
    expect(again.stdout).toMatch(/0 added/)
  })
})
