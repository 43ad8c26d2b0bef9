import type { AbortOptions, IndexedDoc } from './interface.js'

/** The kinds of typed memory unit. */
export type UnitType = 'fact' | 'preference' | 'project' | 'person' | 'code' | 'idea'

/** A typed piece of memory drawn from a frame. */
export interface MemoryUnit {
  type: UnitType
  /** The unit, as a short statement (usually the sentence it came from). */
  text: string
  /** The frame it came from. */
  cid: string
  uri?: string
  time: number
  /** Who it is about (the speaker, or the person named). */
  subject?: string
  /** 0–1: how sure the extractor is. */
  confidence: number
}

/** Turns frames into units. The rule extractor ships; an LLM extractor uses the user's own key. */
export interface UnitExtractor {
  extract (docs: IndexedDoc[], options?: AbortOptions): Promise<MemoryUnit[]>
}

/** A chat completion with the user's own provider and key: prompt in, text out. */
export type ChatComplete = (prompt: string, options?: AbortOptions) => Promise<string>
