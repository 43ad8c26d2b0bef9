/** The importers by format, and how each one is verified before import. */
import type { ExportFormat, Importer } from './interface.js'
import { chatgpt, chatgptHtml, CHAT_HTML_PREFIX } from './chatgpt.js'
import { chatgptShare } from './chatgpt-share.js'
import { claude } from './claude.js'
import { claudeProjects } from './claude-projects.js'
import { claudeMemories } from './claude-memories.js'
import { gemini } from './gemini.js'
import { geminiHtml } from './gemini-html.js'
import { aistudio } from './aistudio.js'
import { grok } from './grok.js'
import { deepseek } from './deepseek.js'
import { openwebui } from './openwebui.js'
import { openaiMessages } from './openai-messages.js'
import { sillytavern } from './sillytavern.js'
import { markdown, text } from './document.js'
import { pdf } from './pdf.js'

export const IMPORTERS: Readonly<Partial<Record<ExportFormat, Importer>>> = {
  chatgpt,
  'chatgpt-share': chatgptShare,
  'chatgpt-html': chatgptHtml,
  claude,
  'claude-projects': claudeProjects,
  'claude-memories': claudeMemories,
  gemini,
  'gemini-html': geminiHtml,
  aistudio,
  grok,
  deepseek,
  openwebui,
  'openai-messages': openaiMessages,
  sillytavern,
  markdown,
  text,
  pdf
}

/** How a format is checked as a whole before anything is stored. */
export type Structure = { kind: 'json', arrayKey?: string | string[], prefix?: RegExp } | { kind: 'lines' } | { kind: 'whole' }

export const STRUCTURE: Readonly<Record<ExportFormat, Structure>> = {
  chatgpt: { kind: 'json' },
  'chatgpt-manifest': { kind: 'whole' },
  zip: { kind: 'whole' },
  'chatgpt-share': { kind: 'whole' },
  'chatgpt-html': { kind: 'json', prefix: CHAT_HTML_PREFIX },
  claude: { kind: 'json' },
  'claude-projects': { kind: 'json' },
  'claude-memories': { kind: 'json' },
  gemini: { kind: 'json' },
  'gemini-html': { kind: 'whole' },
  aistudio: { kind: 'json' },
  grok: { kind: 'json', arrayKey: ['conversations', 'media_posts'] },
  deepseek: { kind: 'json' },
  openwebui: { kind: 'json' },
  'openai-messages': { kind: 'lines' },
  sillytavern: { kind: 'lines' },
  markdown: { kind: 'whole' },
  text: { kind: 'whole' },
  pdf: { kind: 'whole' }
}

export const FORMATS: readonly ExportFormat[] = Object.keys(STRUCTURE) as ExportFormat[]
