/** The cli-progress bar: quiet when not a TTY or under --json, draws on a TTY. */
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createProgressBar } from '../../../node/capture/index.js'

function fakeStream (tty: boolean): { stream: NodeJS.WriteStream, written: () => string } {
  const s = new PassThrough() as unknown as NodeJS.WriteStream & PassThrough
  let out = ''
  s.on('data', (d: Buffer) => { out += d.toString() })
  Object.assign(s, { isTTY: tty, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true })
  return { stream: s, written: () => out }
}

describe('createProgressBar', () => {
  const p = { bytes: 512, total: 1024, conversations: 3, messages: 9 }

  it('writes nothing when the stream is not a TTY', () => {
    const { stream, written } = fakeStream(false)
    const bar = createProgressBar({ stream })
    bar.onProgress(p)
    bar.stop()
    expect(written()).toBe('')
  })

  it('writes nothing under --json (quiet)', () => {
    const { stream, written } = fakeStream(true)
    const bar = createProgressBar({ stream, quiet: true })
    bar.onProgress(p)
    bar.stop()
    expect(written()).toBe('')
  })

  it('draws bytes, conversations and messages on a TTY', async () => {
    const { stream, written } = fakeStream(true)
    const bar = createProgressBar({ stream, label: 'conversations.json' })
    bar.onProgress(p)
    bar.onProgress({ ...p, bytes: 1024 })
    bar.stop()
    await new Promise(resolve => setImmediate(resolve))
    expect(written()).toContain('conversations.json')
    expect(written()).toContain('3 conversations, 9 messages')
  })
})
