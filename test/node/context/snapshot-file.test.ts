import { mkdir, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Level } from 'level'
import { createSearchIndex, type SearchIndex } from '../../../node/context/index.js'
import { corpus, doc } from './_fixtures.js'

// With a folder, the index writes each snapshot as a file of its own (synced, renamed into
// place, checked by a CRC on load) instead of putting it through LevelDB; the log of writes
// since stays in level. These reopen the index after clean closes and after crashes.

let dir: string
let db: Level<string, unknown>
const opened: SearchIndex[] = []

function make (withDir = true): SearchIndex {
  const ix = createSearchIndex({ db: db.sublevel('search'), dir: withDir ? join(dir, 'index') : undefined })
  opened.push(ix)
  return ix
}
function crash (ix: SearchIndex): void { opened.splice(opened.indexOf(ix), 1) }
async function state (ix: SearchIndex): Promise<unknown> {
  const out: unknown[] = []
  for (const q of ['dog puppy', 'paella domingos', '咖啡', 'budget spreadsheet', 'running', 'golden retriever']) out.push((await ix.search(q)).map(h => ({ ...h })))
  out.push(await ix.recent(4), await ix.around('c2', 2, 2), ix.status().docs)
  return out
}
const files = async (): Promise<string[]> => (await readdir(join(dir, 'index')).catch(() => [] as string[])).sort()
const levelSnap = async (): Promise<string[]> => await db.sublevel('search').sublevel<string, Uint8Array>('snap', { valueEncoding: 'view' }).keys().all()

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vivim-context-snapfile-'))
  db = new Level<string, unknown>(join(dir, 'db'))
  await db.open()
})
afterEach(async () => {
  for (const ix of opened.splice(0)) await ix.close().catch(() => {})
  await db.close()
  await rm(dir, { recursive: true, force: true })
})

describe('snapshot files', () => {
  it('writes its snapshot to a file, reopens from it plus the log after a crash, and keeps one generation', async () => {
    const a = make()
    await a.open()
    await a.add(corpus(), { mark: 'm1' })
    const first = await state(a)
    await a.close()
    expect(await files()).toEqual([expect.stringMatching(/^snapshot-\d+\.bin$/)])
    expect(await levelSnap()).toEqual([])
    const b = make()
    await b.open()
    expect(await state(b)).toEqual(first)
    await b.add([doc('n1', 'A new note about the dog park and puppies', { conversation: 'chat-1', time: Date.UTC(2023, 4, 1, 13) })])
    await b.remove(['c7'], { mark: 'm3' })
    const expected = await state(b)
    crash(b)
    const c = make()
    await c.open()
    expect(await state(c)).toEqual(expected)
    expect(c.status()).toMatchObject({ state: 'ready', mark: 'm3' })
    const before = await files()
    await c.close()
    const after = await files()
    expect(after).toHaveLength(1)
    expect(after).not.toEqual(before)
    const d = make()
    await d.open()
    expect(await state(d)).toEqual(expected)
  })

  it('reports a damaged, truncated or missing snapshot file as stale, and rebuilds', async () => {
    const damage: Array<[string, (path: string) => Promise<void>, string]> = [
      ['a flipped byte', async (path) => { const b = await readFile(path); b[Math.floor(b.length / 2)] ^= 0x40; await writeFile(path, b) }, 'checksum'],
      ['a cut tail', async (path) => { await truncate(path, (await stat(path)).size - 100) }, 'snapshot file'],
      ['no file', async (path) => { await rm(path) }, 'ENOENT']
    ]
    for (const [what, harm, reason] of damage) {
      const a = make()
      await a.open()
      if (a.status().state !== 'ready') await a.rebuild([])
      await a.add(corpus())
      await a.close()
      const [name] = await files()
      await harm(join(dir, 'index', name))
      const b = make()
      await b.open()
      expect(await b.loaded(), what).toMatchObject({ state: 'stale', reason: expect.stringContaining(reason) })
      await expect(b.search('dog')).rejects.toHaveProperty('name', 'IndexStaleError')
      await b.rebuild(corpus())
      expect((await b.search('golden retriever'))[0].cid).toBe('c1')
      expect(await files()).toHaveLength(1)
      await b.close()
      const c = make()
      await c.open()
      expect(await c.loaded()).toMatchObject({ state: 'ready' })
      await c.close()
    }
  })

  it('loads a snapshot kept in level, writes the next one to a file, and drops the one in level', async () => {
    const a = make(false)
    await a.open()
    await a.add(corpus())
    const expected = await state(a)
    await a.close()
    expect((await levelSnap()).length).toBeGreaterThan(5)
    expect(await files()).toEqual([])
    const b = make()
    await b.open()
    expect(await state(b)).toEqual(expected)
    await b.add([doc('n2', 'zebra crossing')])
    const next = await state(b)
    await b.close()
    expect(await files()).toHaveLength(1)
    expect(await levelSnap()).toEqual([])
    const c = make()
    await c.open()
    expect(await state(c)).toEqual(next)
    await c.close()
    // Opened without the folder, an index whose snapshot is a file says so and is stale.
    const d = make(false)
    await d.open()
    expect(await d.loaded()).toMatchObject({ state: 'stale', reason: expect.stringContaining('folder') })
  })

  it('removes what an interrupted write left behind', async () => {
    const a = make()
    await a.open()
    await a.add(corpus())
    await mkdir(join(dir, 'index'))
    await writeFile(join(dir, 'index', 'snapshot-00000099.bin.tmp'), 'half a snapshot')
    await writeFile(join(dir, 'index', 'notes.txt'), 'not ours')
    await a.close()
    const left = await files()
    expect(left.filter(f => f.startsWith('snapshot-'))).toEqual([expect.stringMatching(/^snapshot-\d+\.bin$/)])
    expect(left).toContain('notes.txt')
  })
})
