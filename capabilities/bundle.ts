// A printable bundle of tokens, for `vivim share` to print and the receiver to
// paste: multibase base64url ('u') of dag-cbor `{ "vivim/ucans@1": [<token bytes>…] }`,
// typically a delegation chain root first, or an invocation and its proofs.

import * as dagCbor from '@ipld/dag-cbor'
import { base64url } from 'multiformats/bases/base64'
import { MalformedToken } from './errors.js'
import { MAX_PROOFS, MAX_TOKEN_BYTES } from './constants.js'
import { toToken } from './token.js'
import { isBytes, isMap } from './_bytes.js'
import type { Token, TokenInput } from './interface.js'

const BUNDLE_TAG = 'vivim/ucans@1'

/** Encodes tokens as one printable string (`u…`). */
export function exportTokens (tokens: Iterable<TokenInput>): string {
  const list = [...tokens].map(t => toToken(t).bytes)
  if (list.length === 0 || list.length > MAX_PROOFS + 1) throw new RangeError('a bundle holds 1–65 tokens')
  return base64url.encode(dagCbor.encode({ [BUNDLE_TAG]: list }))
}

/**
 * Decodes a bundle made by {@link exportTokens}. Tokens are decoded, not validated.
 *
 * @throws {MalformedToken} on anything else
 */
export function importTokens (text: string): Token[] {
  if (typeof text !== 'string' || text.length > (MAX_PROOFS + 1) * MAX_TOKEN_BYTES * 2) throw new MalformedToken('bundle must be a string of bounded size')
  let v: unknown
  try { v = dagCbor.decode(base64url.decode(text.trim())) } catch { throw new MalformedToken('not a token bundle') }
  if (!isMap(v) || Object.keys(v).length !== 1 || !Array.isArray(v[BUNDLE_TAG])) throw new MalformedToken('not a token bundle')
  const list = v[BUNDLE_TAG] as unknown[]
  if (list.length === 0 || list.length > MAX_PROOFS + 1 || !list.every(isBytes)) throw new MalformedToken('a bundle holds 1–65 token byte strings')
  return list.map(b => toToken(b))
}
