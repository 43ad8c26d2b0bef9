/** Streams the lines of a JSONL file with their line number and byte offset, each parsed as JSON. */
import { InvalidRecordJsonError, RecordTooLargeError } from './errors.js'

export interface LineRecord {
  /** 0-based index among non-blank lines. */
  index: number
  /** 1-based line number. */
  line: number
  byte: number
  value?: unknown
  error?: Error
}

const NL = 0x0a
const decoder = new TextDecoder('utf-8', { fatal: false })

function parse (parts: Uint8Array[], index: number, line: number, byte: number): LineRecord | undefined {
  const text = decoder.decode(parts.length === 1 ? parts[0] : Buffer.concat(parts)).replace(/^\ufeff/, '').trim()
  if (text === '') return undefined
  try {
    return { index, line, byte, value: JSON.parse(text) }
  } catch {
    return { index, line, byte, error: new InvalidRecordJsonError(`line ${line} is not valid JSON`) }
  }
}

export async function * streamJsonLines (chunks: AsyncIterable<Uint8Array>, opts: { maxRecordBytes: number, onBytes?: (n: number) => void, signal?: AbortSignal }): AsyncGenerator<LineRecord> {
  let parts: Uint8Array[] = []
  let size = 0
  let tooBig = false
  let offset = 0
  let start = 0
  let line = 1
  let index = 0
  const emit = (): LineRecord | undefined => {
    let r: LineRecord | undefined
    if (tooBig) r = { index, line, byte: start, error: new RecordTooLargeError(`line ${line} exceeds ${opts.maxRecordBytes} bytes`) }
    else r = parse(parts, index, line, start)
    if (r !== undefined) index++
    parts = []
    size = 0
    tooBig = false
    return r
  }
  for await (const chunk of chunks) {
    opts.signal?.throwIfAborted()
    const out: LineRecord[] = []
    let from = 0
    let nl: number
    while ((nl = chunk.indexOf(NL, from)) !== -1) {
      if (!tooBig) parts.push(chunk.subarray(from, nl))
      const r = emit()
      if (r !== undefined) out.push(r)
      line++
      start = offset + nl + 1
      from = nl + 1
    }
    if (from < chunk.length && !tooBig) {
      size += chunk.length - from
      if (size > opts.maxRecordBytes) { tooBig = true; parts = [] } else parts.push(chunk.subarray(from))
    }
    offset += chunk.length
    opts.onBytes?.(offset)
    for (const r of out) yield r
  }
  const r = emit()
  if (r !== undefined) yield r
}
