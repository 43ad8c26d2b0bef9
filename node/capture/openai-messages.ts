/**
 * OpenAI chat-completions `messages` JSONL (fine-tuning and eval files):
 * one conversation per line, `{"messages":[{role, content, tool_calls?, tool_call_id?}]}`.
 * Content may be a string or an array of `{type:"text"|"image_url"}` parts.
 * Lines carry no ids: a conversation's id is the SHA-256 of its messages, so
 * the same line imported twice adds nothing.
 */
import type { Conversation, ImportItem, Importer, Message, Part } from './interface.js'
import { streamJsonLines } from './_lines.js'
import { skipItem } from './_json-records.js'
import { arr, isObj, jsonOrString, lowerRole, obj, str, stableId } from './_util.js'
import { MAX_RECORD_BYTES } from './constants.js'
import { InvalidRecordShapeError } from './errors.js'

function parts (m: Record<string, unknown>): Part[] {
  const out: Part[] = []
  const role = str(m.role)
  const content = m.content
  const texts: string[] = []
  if (typeof content === 'string') texts.push(content)
  for (const c of arr(content).map(obj)) {
    if (c === undefined) continue
    const t = str(c.type)
    if (t === 'text' || t === 'input_text' || t === 'output_text') texts.push(str(c.text) ?? '')
    else if (t === 'image_url' || t === 'input_image') out.push({ type: 'image', pointer: str(obj(c.image_url)?.url) ?? str(c.image_url) })
    else if (t === 'input_audio' || t === 'file') out.push({ type: 'file', name: str(obj(c.file)?.filename), pointer: str(obj(c.file)?.file_id) })
  }
  const text = texts.join('\n')
  if (role === 'tool' || role === 'function') {
    if (text !== '') out.unshift({ type: 'tool-result', id: str(m.tool_call_id), name: str(m.name), text })
  } else if (text !== '') {
    out.unshift({ type: 'text', text })
  }
  for (const tc of arr(m.tool_calls).map(obj)) {
    const fn = obj(tc?.function)
    if (tc !== undefined) out.push({ type: 'tool-call', id: str(tc.id), name: str(fn?.name) ?? 'function', input: str(fn?.arguments) ?? jsonOrString(fn?.arguments) })
  }
  const fc = obj(m.function_call)
  if (fc !== undefined) out.push({ type: 'tool-call', name: str(fc.name) ?? 'function', input: str(fc.arguments) })
  return out
}

export function openaiConversation (raw: unknown): Conversation {
  if (!isObj(raw) || !Array.isArray(raw.messages)) throw new InvalidRecordShapeError('line has no messages array')
  const id = stableId(raw.messages)
  const messages: Message[] = raw.messages.map((m, i) => {
    if (!isObj(m)) throw new InvalidRecordShapeError(`message ${i} is not an object`)
    return { id: String(i), role: lowerRole(m.role) ?? 'unknown', author: str(m.name), parts: parts(m) }
  })
  const firstUser = messages.find(m => m.role === 'user')?.parts.find(p => p.type === 'text')
  return { provider: 'openai', id, title: firstUser?.type === 'text' ? firstUser.text.slice(0, 120) : undefined, messages, branches: [] }
}

export const openaiMessages: Importer = {
  format: 'openai-messages',
  provider: 'openai',
  name: 'openai-messages-jsonl',
  async * read (source, ctx): AsyncGenerator<ImportItem> {
    for await (const rec of streamJsonLines(source.chunks(ctx.signal), { maxRecordBytes: MAX_RECORD_BYTES, onBytes: ctx.onBytes, signal: ctx.signal })) {
      if (rec.error !== undefined) { yield skipItem(rec.index, rec.error, rec.byte, rec.line); continue }
      try {
        const c = openaiConversation(rec.value)
        c.source = `${source.path}:${rec.line}`
        yield { type: 'conversation', conversation: c }
      } catch (err) {
        yield skipItem(rec.index, err, rec.byte, rec.line)
      }
    }
  }
}
