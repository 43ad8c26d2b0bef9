/**
 * Google AI Studio prompt files (saved to Drive): `{runSettings{model,…},
 * systemInstruction, chunkedPrompt{chunks:[{role:"user"|"model", text,
 * isThought?, parts?[{text, thought}], driveDocument?, inlineFile?,
 * youtubeVideo?}]}}`. No timestamps (some variants add `createTime` per
 * chunk); thought chunks become reasoning. The id is the SHA-256 of the chunks.
 */
import type { Conversation, Importer, Message, Part } from './interface.js'
import { streamConversations } from './_json-records.js'
import { parseMarkup } from './_markup.js'
import { arr, isObj, lowerRole, nonEmpty, obj, requireObj, stableId, str, toMs } from './_util.js'
import { InvalidRecordShapeError } from './errors.js'

function chunkParts (c: Record<string, unknown>): Part[] {
  const parts: Part[] = []
  const thought = c.isThought === true
  const push = (text: string, isThought: boolean): void => {
    if (text.trim() === '') return
    if (isThought) parts.push({ type: 'reasoning', text })
    else parts.push(...parseMarkup(text))
  }
  if (Array.isArray(c.parts) && c.parts.length > 0) {
    // streamed parts: join consecutive pieces of the same kind
    let run = ''
    let runThought = false
    for (const p of c.parts.map(obj)) {
      if (p === undefined) continue
      const t = p.thought === true || thought
      if (t !== runThought) { push(run, runThought); run = '' }
      runThought = t
      run += str(p.text) ?? ''
    }
    push(run, runThought)
  } else {
    push(str(c.text) ?? '', thought)
  }
  const doc = obj(c.driveDocument)
  if (doc !== undefined) parts.push({ type: 'file', pointer: str(doc.id), name: 'Drive document' })
  const file = obj(c.inlineFile) ?? obj(c.inlineImage)
  if (file !== undefined) parts.push(str(file.mimeType)?.startsWith('image/') === true ? { type: 'image', mime: str(file.mimeType) } : { type: 'file', mime: str(file.mimeType) })
  const yt = obj(c.youtubeVideo)
  if (yt !== undefined) parts.push({ type: 'citation', url: str(yt.url) ?? (str(yt.id) !== undefined ? `https://youtu.be/${str(yt.id)}` : undefined), title: 'YouTube video' })
  return parts
}

export function aistudioConversation (raw: unknown): Conversation {
  const p = requireObj(raw, 'prompt')
  const chunked = obj(p.chunkedPrompt)
  if (chunked === undefined || !Array.isArray(chunked.chunks)) throw new InvalidRecordShapeError('not an AI Studio prompt')
  const model = str(obj(p.runSettings)?.model)
  const messages: Message[] = []
  const system = obj(p.systemInstruction)
  const sysText = str(system?.text) ?? arr(system?.parts).map(x => str(obj(x)?.text) ?? '').join('\n')
  if (sysText.trim() !== '') messages.push({ id: 'system', role: 'system', parts: [{ type: 'text', text: sysText }] })
  for (const [i, c] of chunked.chunks.entries()) {
    if (!isObj(c)) continue
    messages.push({ id: String(i), role: lowerRole(c.role) ?? 'unknown', time: toMs(c.createTime), model: lowerRole(c.role) === 'assistant' ? model : undefined, parts: chunkParts(c) })
  }
  const firstUser = messages.find(m => m.role === 'user')?.parts.find(x => x.type === 'text')
  return {
    provider: 'aistudio',
    id: nonEmpty(p.id) ?? stableId(chunked.chunks, sysText),
    title: nonEmpty(p.title) ?? (firstUser?.type === 'text' ? firstUser.text.slice(0, 120) : undefined),
    model,
    messages,
    branches: []
  }
}

export const aistudio: Importer = {
  format: 'aistudio',
  provider: 'aistudio',
  name: 'aistudio-prompt-json',
  read (source, ctx) {
    return streamConversations(source, ctx, {}, aistudioConversation)
  }
}
