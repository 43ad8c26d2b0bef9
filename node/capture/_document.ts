/** Documents as conversations of passages: one frame per passage (kind 'passage'). */
import type { Conversation, Message } from './interface.js'
import type { Passage } from './_passages.js'

export interface DocumentInit {
  provider: string
  id: string
  title?: string
  time?: number
  uriBase: string
  passages: Passage[]
  tags?: Record<string, string>
  /** Prefix of passage ids, to keep several documents apart under one uriBase. */
  idPrefix?: string
}

/** Builds the passage "conversation" of a document: heading path and page go to tags. */
export function documentConversation (d: DocumentInit): Conversation {
  const messages: Message[] = d.passages.map((p, i) => {
    const meta: Record<string, string> = { passage: String(i) }
    if (p.headings.length > 0) {
      meta.heading = p.headings[p.headings.length - 1]
      meta.headings = p.headings.join(' > ')
    }
    if (p.page !== undefined) meta.page = String(p.page)
    return { id: `${d.idPrefix ?? ''}${i}`, role: 'document', time: d.time, parts: [{ type: 'text', text: p.text }], meta }
  })
  return { provider: d.provider, id: d.id, title: d.title, created: d.time, messages, branches: [], kind: 'passage', uriBase: d.uriBase, tags: d.tags }
}
