/**
 * ChatGPT `conversations.json` (Settings → Data controls → Export): a JSON
 * array of conversations (or one conversation object, as browser tools
 * save it), also in the split `conversations-NNN.json` form. Each
 * conversation's `mapping` is the whole message tree; the visible thread is
 * the path from the root to `current_node`, every other leaf a branch.
 */
import type { Conversation, Importer, Message, Part } from './interface.js'
import { cleanToolText, parseMarkup, type CitationSource } from './_markup.js'
import { splitTree, type TreeNode } from './_tree.js'
import { arr, isObj, jsonOrString, metaOf, nonEmpty, num, obj, requireObj, stableId, str, toMs, type Obj } from './_util.js'
import { InvalidRecordShapeError } from './errors.js'
import { jsonStart, streamConversations, type AssetIndex, loadAssetIndex } from './_json-records.js'

function citationSource (meta: Obj | undefined): CitationSource {
  const src: CitationSource = {}
  const list = arr(meta?.citations).map(c => obj(obj(c)?.metadata)).map(m => ({ url: str(m?.url), title: str(m?.title) }))
  if (list.length > 0) src.list = list
  const refs = arr(meta?.content_references)
  if (refs.length > 0) {
    src.byMarker = new Map()
    for (const r of refs.map(obj)) {
      const marker = str(r?.matched_text)
      if (marker === undefined || marker === '') continue
      const items = arr(r?.items).map(obj).map(i => ({ url: str(i?.url), title: str(i?.title) }))
      const safe = arr(r?.safe_urls).map(str).filter((u): u is string => u !== undefined)
      src.byMarker.set(marker, items.length > 0 ? items : safe.slice(0, 1).map(url => ({ url })))
    }
  }
  return src
}

function assetPart (o: Obj, assets?: AssetIndex): Part {
  const pointer = str(o.asset_pointer)
  const meta = obj(o.metadata)
  const name = str(o.name) ?? (pointer !== undefined ? assets?.nameOf(pointer) : undefined) ?? (meta?.dalle !== undefined || meta?.generation !== undefined ? 'generated image' : undefined)
  const localPath = pointer !== undefined ? assets?.resolve(pointer) : undefined
  const ct = str(o.content_type) ?? ''
  if (ct.startsWith('audio')) return { type: 'file', pointer, mime: 'audio', size: num(o.size_bytes), localPath, name }
  return { type: 'image', pointer, name, width: num(o.width), height: num(o.height), size: num(o.size_bytes), localPath }
}

/** Typed parts of one ChatGPT message's `content`. */
export function chatgptParts (msg: Obj, assets?: AssetIndex): Part[] {
  const content = obj(msg.content) ?? {}
  const meta = obj(msg.metadata)
  const author = obj(msg.author)
  const tool = str(author?.name)
  const recipient = str(msg.recipient)
  const ct = str(content.content_type) ?? 'text'
  const src = citationSource(meta)
  const parts: Part[] = []
  const fromStrings = (xs: unknown[]): void => {
    for (const x of xs) {
      if (typeof x === 'string') parts.push(...parseMarkup(x, src))
      else if (isObj(x)) {
        const xct = str(x.content_type) ?? ''
        if (xct.includes('asset_pointer')) parts.push(assetPart(x, assets))
        else if (typeof x.text === 'string') parts.push(...parseMarkup(x.text, src))
      }
    }
  }
  switch (ct) {
    case 'text':
    case 'multimodal_text':
      if (str(author?.role) === 'tool') {
        const t = cleanToolText(arr(content.parts).filter(p => typeof p === 'string').join('\n')).text
        if (t.trim() !== '') parts.push({ type: 'tool-result', name: tool, text: t })
        for (const p of arr(content.parts)) if (isObj(p)) fromStrings([p])
      } else if (recipient !== undefined && recipient !== 'all' && str(author?.role) === 'assistant') {
        parts.push({ type: 'tool-call', name: recipient, input: arr(content.parts).filter(p => typeof p === 'string').join('\n') })
      } else {
        fromStrings(arr(content.parts))
      }
      break
    case 'code': {
      const text = str(content.text) ?? ''
      if (recipient !== undefined && recipient !== 'all') parts.push({ type: 'tool-call', name: recipient, input: text })
      else parts.push({ type: 'code', text, language: str(content.language) === 'unknown' ? undefined : str(content.language) })
      break
    }
    case 'execution_output':
    case 'computer_output':
    case 'system_error':
      parts.push({ type: 'tool-result', name: tool ?? str(content.name), text: cleanToolText(str(content.text) ?? jsonOrString(content.parts) ?? '').text })
      break
    case 'tether_browsing_display': {
      const clean = cleanToolText([str(content.summary), str(content.result)].filter(s => s !== undefined && s !== '').join('\n'))
      parts.push({ type: 'tool-result', name: tool, text: clean.text }, ...clean.results)
      break
    }
    case 'tether_quote':
      parts.push({ type: 'tool-result', name: tool, text: cleanToolText(str(content.text) ?? '').text })
      parts.push({ type: 'citation', url: str(content.url), title: str(content.title) ?? str(content.domain) })
      break
    case 'thoughts': {
      for (const t of arr(content.thoughts).map(obj)) {
        const text = str(t?.content) ?? ''
        if (text !== '' || str(t?.summary) !== undefined) parts.push({ type: 'reasoning', text, summary: str(t?.summary) })
      }
      for (const p of arr(content.parts)) if (typeof p === 'string' && p !== '') parts.push({ type: 'reasoning', text: p })
      break
    }
    case 'reasoning_recap': {
      const t = str(content.content) ?? arr(content.parts).filter(p => typeof p === 'string').join('\n')
      if (t !== '') parts.push({ type: 'reasoning', text: t })
      break
    }
    case 'user_editable_context': {
      const t = [['User profile', str(content.user_profile)], ['User instructions', str(content.user_instructions)]]
        .filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `${k}: ${v}`).join('\n')
      if (t !== '') parts.push({ type: 'text', text: t })
      break
    }
    case 'model_editable_context': {
      const t = str(content.model_set_context) ?? ''
      if (t !== '') parts.push({ type: 'text', text: t })
      break
    }
    default: {
      // Canvas textdocs, future types: keep whatever text they carry
      if (Array.isArray(content.parts)) fromStrings(content.parts)
      else {
        const t = str(content.text) ?? str(content.result) ?? str(content.content)
        if (t !== undefined && t !== '') parts.push({ type: 'text', text: t })
      }
    }
  }
  for (const a of arr(meta?.attachments).map(obj)) {
    if (a === undefined) continue
    const mime = str(a.mime_type)
    const id = str(a.file_id) ?? str(a.id)
    const localPath = id !== undefined ? assets?.resolve(id) : undefined
    // the same upload is often both an image part and an attachment: name the part instead
    const same = id !== undefined ? parts.find(p => (p.type === 'image' || p.type === 'file') && p.pointer?.includes(id) === true) : undefined
    if (same !== undefined && (same.type === 'image' || same.type === 'file')) {
      same.name ??= str(a.name)
      same.mime ??= mime
      continue
    }
    if (mime?.startsWith('image/') === true) parts.push({ type: 'image', name: str(a.name), pointer: id, mime, size: num(a.size), localPath })
    else parts.push({ type: 'file', name: str(a.name), pointer: id, mime, size: num(a.size), localPath })
  }
  return parts
}

function chatgptMessage (msg: Obj, nodeId: string, assets?: AssetIndex): Message | undefined {
  const meta = obj(msg.metadata)
  // weight 0 alone does not hide: generated images come back as weight-0 tool messages
  if (meta?.is_visually_hidden_from_conversation === true) return undefined
  if (num(msg.weight) === 0 && str(obj(msg.author)?.role) === 'system') return undefined
  const author = obj(msg.author)
  const content = obj(msg.content)
  return {
    id: str(msg.id) ?? nodeId,
    role: str(author?.role) ?? 'unknown',
    author: nonEmpty(author?.name),
    time: toMs(msg.create_time) ?? toMs(msg.update_time),
    model: str(meta?.model_slug),
    parts: chatgptParts(msg, assets),
    meta: metaOf({
      status: msg.status,
      recipient: str(msg.recipient) !== 'all' ? msg.recipient : undefined,
      channel: msg.channel,
      content_type: content?.content_type,
      // weight 0: the provider did not display it (tool output, generated assets)
      hidden: num(msg.weight) === 0 ? 'true' : undefined,
      finish: obj(meta?.finish_details)?.type
    })
  }
}

/**
 * Normalizes one ChatGPT conversation object (export, share page, API capture).
 * @throws InvalidRecordShapeError when it has no `mapping` or `linear_conversation`
 */
export function chatgptConversation (raw: unknown, assets?: AssetIndex, fallbackId?: string): Conversation {
  const c = requireObj(raw, 'conversation')
  const nodes = new Map<string, TreeNode>()
  const mapping = obj(c.mapping)
  if (mapping !== undefined) {
    for (const [key, v] of Object.entries(mapping)) {
      const n = obj(v)
      if (n === undefined) continue
      const id = str(n.id) ?? key
      const msg = obj(n.message)
      nodes.set(key, {
        id,
        parent: str(n.parent),
        children: arr(n.children).map(str).filter((s): s is string => s !== undefined),
        message: msg !== undefined ? chatgptMessage(msg, id, assets) : undefined
      })
    }
  } else if (Array.isArray(c.linear_conversation)) {
    let prev: string | undefined
    for (const [i, v] of c.linear_conversation.entries()) {
      const n = obj(v)
      const id = str(n?.id) ?? `n${i}`
      const msg = obj(n?.message)
      nodes.set(id, { id, parent: prev, message: msg !== undefined ? chatgptMessage(msg, id, assets) : undefined })
      prev = id
    }
  } else {
    throw new InvalidRecordShapeError('conversation has no mapping')
  }
  for (const n of nodes.values()) {
    if (n.message !== undefined && n.message.parts.length === 0) n.message = undefined
  }
  const thread = splitTree(nodes, str(c.current_node))
  const created = toMs(c.create_time)
  const id = nonEmpty(c.conversation_id) ?? nonEmpty(c.id) ?? fallbackId ?? stableId(c.title, c.create_time, [...nodes.keys()].slice(0, 8))
  return {
    provider: 'chatgpt',
    id,
    title: nonEmpty(c.title),
    model: str(c.default_model_slug) ?? thread.messages.find(m => m.model !== undefined)?.model,
    created,
    updated: toMs(c.update_time),
    messages: thread.messages,
    branches: thread.branches,
    tags: metaOf({ gizmo_id: c.gizmo_id })
  }
}

export const chatgpt: Importer = {
  format: 'chatgpt',
  provider: 'chatgpt',
  name: 'chatgpt-conversations-json',
  async * read (source, ctx) {
    const assets = await loadAssetIndex(source)
    yield * streamConversations(source, ctx, {}, (raw) => chatgptConversation(raw, assets))
  }
}

/** The `chat.html` of a ChatGPT export embeds the same array as `var jsonData = [...]`. */
export const CHAT_HTML_PREFIX = /var\s+jsonData\s*=\s*(?=[[{])/

export const chatgptHtml: Importer = {
  format: 'chatgpt-html',
  provider: 'chatgpt',
  name: 'chatgpt-chat-html',
  async * read (source, ctx) {
    const assets = await loadAssetIndex(source)
    const startAt = await jsonStart(source, CHAT_HTML_PREFIX)
    yield * streamConversations(source, ctx, { startAt }, (raw) => chatgptConversation(raw, assets))
  }
}
