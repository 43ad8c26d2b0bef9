/** Hostile inputs whose cost could grow faster than their size: each must stay fast and typed. */
import { describe, expect, it } from 'vitest'
import { importBytes } from '../../../node/capture/index.js'
import { MemorySink } from './_sink.js'

async function timed<T> (fn: () => Promise<T>): Promise<{ ms: number, value?: T, error?: Error }> {
  const t0 = performance.now()
  try {
    const value = await fn()
    return { ms: performance.now() - t0, value }
  } catch (error) {
    return { ms: performance.now() - t0, error: error as Error }
  }
}

describe('capture: hostile inputs', () => {
  it('a 20,000-node comb without current_node imports in linear time', async () => {
    const mapping: Record<string, unknown> = { r: { id: 'r', parent: null, children: [], message: null } }
    let parent = 'r'
    for (let i = 0; i < 10_000; i++) {
      const spine = `s${i}`
      const leaf = `l${i}`
      mapping[spine] = { id: spine, parent, children: [leaf], message: { id: spine, author: { role: 'user' }, create_time: 1700000000 + i, content: { content_type: 'text', parts: [`q${i}`] } } }
      mapping[leaf] = { id: leaf, parent: spine, children: [], message: { id: leaf, author: { role: 'assistant' }, create_time: 1700000000 + i, content: { content_type: 'text', parts: [`a${i}`] } } }
      parent = spine
    }
    const sink = new MemorySink()
    const r = await timed(() => importBytes(sink, JSON.stringify([{ id: 'comb', mapping }])))
    expect(r.error).toBeUndefined()
    expect(r.value?.messages).toBe(20_000)
    expect(r.ms).toBeLessThan(10_000)
  }, 30_000)

  it('deep nesting is refused, not a stack overflow', async () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000)
    const r = await timed(() => importBytes(new MemorySink(), deep, { format: 'chatgpt' }))
    expect(r.error?.name).toBe('MalformedExportError')
    expect(r.ms).toBeLessThan(2_000)
  })

  it('markup-like text does not backtrack', async () => {
    const evil = '【'.repeat(50_000) + '\ue200'.repeat(50_000) + '<antArtifact '.repeat(5_000) + '```'.repeat(10_000) + '<details type="reasoning">'.repeat(5_000)
    const line = JSON.stringify({ messages: [{ role: 'user', content: evil }] })
    const r = await timed(() => importBytes(new MemorySink(), line + '\n'))
    expect(r.error).toBeUndefined()
    expect(r.ms).toBeLessThan(5_000)
  }, 30_000)

  it('a parent cycle neither hangs nor loses its messages', async () => {
    const msg = (id: string): unknown => ({ id, author: { role: 'user' }, create_time: 1, content: { content_type: 'text', parts: [id] } })
    const mapping = { a: { id: 'a', parent: 'b', children: ['b'], message: msg('a') }, b: { id: 'b', parent: 'a', children: ['a'], message: msg('b') }, c: { id: 'c', parent: 'a', children: [], message: msg('c') } }
    const sink = new MemorySink()
    const r = await importBytes(sink, JSON.stringify({ id: 'cyc', current_node: 'c', mapping }))
    expect(sink.main().map(x => x.text)).toEqual(['b', 'a', 'c'])
    expect(r.messages).toBe(3)
  })
})
