/**
 * How a normalized message becomes a frame.
 *
 * Frame text is a readable rendering of the parts, in order, joined by blank lines:
 * - text as written (provider markup already removed);
 * - code as a Markdown fence with its language;
 * - reasoning as `[reasoning]\n…\n[/reasoning]` (summary on the opening line);
 * - artifacts as `[artifact: title (mime)]\n…\n[/artifact]`;
 * - tool calls as `[tool call: name]\n<input>`, tool results as `[tool result: name]\n<text>`;
 * - images and files as `[image: name]` / `[file: name]` (a file's extracted text follows);
 * - citations and entities are not repeated in the text (entity names stay inline).
 * The typed parts travel in tags: `parts` (the distinct part types, comma separated),
 * `citations` (JSON `[{url,title,ref}]`), `entities` (JSON), `attachments` (JSON names),
 * plus `provider`, `model`, `message_id`, `format`, and for branches `fork_from`.
 */
import type { Conversation, Message, Part, PutInput } from './interface.js'

export function renderPart (p: Part): string {
  switch (p.type) {
    case 'text': return p.text
    case 'code': return '```' + (p.language ?? '') + '\n' + p.text + '\n```'
    case 'reasoning': return `[reasoning${p.summary !== undefined && p.summary !== '' ? ': ' + p.summary : ''}]\n${p.text}\n[/reasoning]`
    case 'artifact': {
      const label = [p.title, p.mime !== undefined ? `(${p.mime})` : undefined].filter(x => x !== undefined && x !== '').join(' ')
      return `[artifact${label !== '' ? ': ' + label : ''}]\n${p.text}\n[/artifact]`
    }
    case 'tool-call': return `[tool call: ${p.name}]${p.input !== undefined && p.input !== '' ? '\n' + p.input : ''}`
    case 'tool-result': return p.text.trim() === '' ? '' : `[tool result${p.name !== undefined ? ': ' + p.name : ''}]\n${p.text}`
    case 'image': return `[image: ${p.name ?? p.pointer ?? 'image'}]`
    case 'file': return `[file: ${p.name ?? p.pointer ?? 'file'}]${p.text !== undefined && p.text !== '' ? '\n' + p.text : ''}`
    case 'citation': return ''
    case 'entity': return ''
  }
}

export function renderText (parts: Part[]): string {
  return parts.map(renderPart).filter(s => s.trim() !== '').join('\n\n')
}

/** A message is stored only if it renders to some text. */
export function hasContent (m: Message): boolean {
  return m.parts.some(p => renderPart(p).trim() !== '')
}

const MAX_TAG_LIST = 100

function tagsOf (conv: Conversation, m: Message, format: string): Record<string, string> {
  const tags: Record<string, string> = { provider: conv.provider, format, message_id: m.id }
  const model = m.model ?? conv.model
  if (model !== undefined && model !== '') tags.model = model
  const types = [...new Set(m.parts.map(p => p.type))].sort()
  tags.parts = types.join(',')
  const cites = m.parts.filter(p => p.type === 'citation').slice(0, MAX_TAG_LIST)
  if (cites.length > 0) tags.citations = JSON.stringify(cites.map(c => ({ url: c.url, title: c.title, ref: c.ref })))
  const ents = m.parts.filter(p => p.type === 'entity').slice(0, MAX_TAG_LIST)
  if (ents.length > 0) tags.entities = JSON.stringify(ents.map(e => ({ kind: e.kind, name: e.name })))
  const files = m.parts.filter(p => p.type === 'image' || p.type === 'file').slice(0, MAX_TAG_LIST)
  if (files.length > 0) tags.attachments = JSON.stringify(files.map(f => ({ type: f.type, name: f.name, pointer: f.pointer, localPath: f.localPath })))
  if (m.author !== undefined) tags.author = m.author
  for (const [k, v] of Object.entries(conv.tags ?? {})) tags[k] ??= v
  for (const [k, v] of Object.entries(m.meta ?? {})) tags[k] ??= v
  return tags
}

function enc (s: string): string {
  return encodeURIComponent(s)
}

export function conversationUri (conv: Conversation): string {
  return conv.uriBase ?? `${conv.provider}://${enc(conv.id)}`
}

export function messageUri (conv: Conversation, m: Message): string {
  return `${conversationUri(conv)}/${enc(m.id)}`
}

/** Frames for one thread (the visible one or a branch). */
export function toFrames (conv: Conversation, messages: Message[], format: string, extra?: Record<string, string>): PutInput[] {
  const kind = conv.kind ?? 'message'
  const out: PutInput[] = []
  const seen = new Set<string>()
  // a message without a time takes the one before it (or the conversation's), marked as estimated
  let lastTime = conv.created
  for (const m of messages) {
    const text = renderText(m.parts)
    if (text.trim() === '') continue
    const uri = messageUri(conv, m)
    if (seen.has(uri)) continue
    seen.add(uri)
    const input: PutInput = { text, kind, uri, tags: { ...tagsOf(conv, m, format), ...extra } }
    if (conv.title !== undefined) input.title = conv.title
    if (m.time !== undefined) {
      input.time = m.time
      lastTime = m.time
    } else if (lastTime !== undefined) {
      input.time = lastTime
      input.tags = { ...input.tags, time_estimated: 'true' }
    }
    // conversation and role belong to messages; passages and notes are found by their uri prefix
    if (kind === 'message') {
      input.role = m.role
      input.conversation = conv.conversationUri ?? conversationUri(conv)
    }
    out.push(input)
  }
  return out
}
