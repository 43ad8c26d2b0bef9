import type { StemLanguage } from './interface.js'

// Function words that carry no topic. Kept short on purpose: BM25's idf already
// discounts common words, and a long list drops words that matter ("first", "never").
const EN = `a about above after again against all am an and any are as at be because been before being below between both
but by can could did do does doing down during each few for from further had has have having he her here hers herself him
himself his how i if in into is it its itself just let me more most my myself no nor not of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them themselves then there these they this
those through to too under until up very was we were what when where which while who whom why will with would you your
yours yourself yourselves im ive id ill youre youve theyre thats whats dont didnt doesnt isnt wasnt cant wont s t d ll m re ve
hey hi oh yeah wow really also`

const ES = `a al algo ante con contra de del desde donde durante e el ella ellas ellos en entre era eran es esa ese eso esta
estaba este esto estos fue fueron ha han hasta la las le les lo los mas me mi mis muy ni no nos o os para pero por que se
sin sobre su sus te tu tus un una uno unos y ya yo qué cuál cuándo dónde cómo`

const FR = `au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me mes moi mon ne nos notre
nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous est sont était`

const DE = `der die das den dem des ein eine einen einem einer und oder aber ich du er sie es wir ihr mit von zu auf für ist
sind war nicht im am zum zur bei aus nach über wie was wer wo wann`

function set (words: string): ReadonlySet<string> {
  return new Set(words.split(/\s+/).filter(w => w !== '').map(w => w.normalize('NFD').replace(/\p{M}/gu, '')))
}

const LISTS: Partial<Record<StemLanguage, ReadonlySet<string>>> = {
  english: set(EN),
  spanish: set(ES),
  french: set(FR),
  german: set(DE)
}

/** The stopwords of a language (folded like tokens); English words are always included. */
export function stopwordsFor (language: StemLanguage): ReadonlySet<string> {
  const own = LISTS[language]
  const en = LISTS.english as ReadonlySet<string>
  if (own === undefined || own === en) return en
  return new Set([...en, ...own])
}

