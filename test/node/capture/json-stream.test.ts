/** The streaming JSON record reader: chunk boundaries never change the result; damage is typed. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { streamJsonRecords, type JsonRecord } from '../../../node/capture/_json-stream.js'

async function read (text: string | Uint8Array, chunk: number, arrayKey?: string, collect = true): Promise<JsonRecord[]> {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text
  async function * chunks (): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk)
  }
  const out: JsonRecord[] = []
  for await (const r of streamJsonRecords(chunks(), { arrayKey, collect, maxRecordBytes: 1 << 20 })) out.push(r)
  return out
}

describe('streamJsonRecords', () => {
  it('yields array elements whatever the chunk size (property, seed 7)', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.jsonValue(), { maxLength: 8 }), fc.integer({ min: 1, max: 64 }), async (values, chunk) => {
      const text = JSON.stringify(values, null, 1)
      const recs = await read(text, chunk)
      expect(recs.map(r => r.value)).toEqual(JSON.parse(text))
      expect(recs.map(r => r.index)).toEqual(values.map((_, i) => i))
    }), { seed: 7, numRuns: 300 })
  })

  it('a top-level object is one record; with arrayKey its array is streamed', async () => {
    expect((await read('{"a":[1,2],"b":"x"}', 3)).map(r => r.value)).toEqual([{ a: [1, 2], b: 'x' }])
    expect((await read('\ufeff{"x":{"conversations":[9]},"conversations":[{"a":"]"},{"b":"\\""}],"z":1}', 2, 'conversations')).map(r => r.value)).toEqual([{ a: ']' }, { b: '"' }])
  })

  it('multi-byte UTF-8 split across chunks survives', async () => {
    const recs = await read('["héllo 你好 🎉", {"k":"€"}]', 1)
    expect(recs.map(r => r.value)).toEqual(['héllo 你好 🎉', { k: '€' }])
  })

  it('a bad record is reported with its index and byte; the rest is read', async () => {
    const recs = await read('[{"a":1},{"b": tru},{"c":3}]', 4)
    expect(recs.map(r => [r.index, r.error?.name, r.value])).toEqual([[0, undefined, { a: 1 }], [1, 'InvalidRecordJsonError', undefined], [2, undefined, { c: 3 }]])
    expect(recs[1].byte).toBe(9)
  })

  it('structural damage throws MalformedExportError', async () => {
    for (const bad of ['[{"a":1}', '[{"a":"1}]', '[{"a":1]]', '', '   ', 'nope', '[1] [2]', '{"a":1}}']) {
      await expect(read(bad, 3, undefined, false), bad).rejects.toMatchObject({ name: 'MalformedExportError' })
    }
  })

  it('verify mode keeps nothing but counts records', async () => {
    const recs = await read('[1,2,3]', 2, undefined, false)
    expect(recs.map(r => r.value)).toEqual([undefined, undefined, undefined])
  })
})
