import { stemmer as english } from '@orama/stemmers/english'
import { stemmer as spanish } from '@orama/stemmers/spanish'
import { stemmer as french } from '@orama/stemmers/french'
import { stemmer as german } from '@orama/stemmers/german'
import { stemmer as italian } from '@orama/stemmers/italian'
import { stemmer as portuguese } from '@orama/stemmers/portuguese'
import { stemmer as dutch } from '@orama/stemmers/dutch'
import { stemmer as russian } from '@orama/stemmers/russian'
import { stemmer as swedish } from '@orama/stemmers/swedish'
import type { StemLanguage } from './interface.js'

const STEMMERS: Record<Exclude<StemLanguage, 'none'>, (w: string) => string> = {
  english, spanish, french, german, italian, portuguese, dutch, russian, swedish
}

/** The Snowball stemmer of a language (Orama's ports); identity for `none`. */
export function stemmerFor (language: StemLanguage): (word: string) => string {
  if (language === 'none') return (w) => w
  const s = STEMMERS[language]
  if (s === undefined) throw new RangeError(`language: no stemmer for "${String(language)}"`)
  return s
}
