/** Counts and cuts text in model tokens. */
export interface TokenCounter {
  /** The encoding's name (e.g. o200k_base). */
  readonly encoding: string
  count (text: string): number
  /** The longest prefix of `text` of at most `max` tokens (cut at a token boundary). */
  truncate (text: string, max: number): string
}

/**
 * The o200k_base BPE (GPT-4o family) from gpt-tokenizer, which ships its encodings offline.
 * Loaded on first use (about 200 ms), so opening a node does not pay for it.
 */
export async function o200kCounter (): Promise<TokenCounter> {
  const t = await import('gpt-tokenizer/encoding/o200k_base')
  return {
    encoding: 'o200k_base',
    count: (text) => text === '' ? 0 : t.countTokens(text),
    truncate (text, max) {
      if (max <= 0) return ''
      const ids = t.encode(text)
      if (ids.length <= max) return text
      // Decoding a prefix can end inside a multi-byte character: drop tokens until clean.
      for (let n = max; n > 0; n--) {
        const s = t.decode(ids.slice(0, n))
        if (!s.endsWith('\uFFFD') && t.countTokens(s) <= max) return s
      }
      return ''
    }
  }
}
