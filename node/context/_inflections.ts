/**
 * English words whose inflections a suffix stemmer cannot join ("buy" / "bought", "child" /
 * "children"): one family per line, base form first. Common irregular verbs (past tense and past
 * participle) and nouns (plural). Left out: forms that are mostly another word ("rose", "ground",
 * "bore", "born", "lay", "lie", "found", "leaves", "lives", "fell", "lit", "saw"), forms that are
 * stopwords ("do", "be", "have") and verbs whose forms are all the same ("cut", "put", "read").
 */
export const ENGLISH_IRREGULAR = `arise arose arisen
awake awoke awoken
beat beaten
become became
begin began begun
bend bent
bind bound
bite bit bitten
bleed bled
blow blew blown
break broke broken
breed bred
bring brought
build built
burn burnt
buy bought
catch caught
choose chose chosen
cling clung
come came
creep crept
deal dealt
dig dug
draw drew drawn
dream dreamt
drink drank drunk
drive drove driven
eat ate eaten
feed fed
feel felt
fight fought
flee fled
fly flew flown
forbid forbade forbidden
forget forgot forgotten
forgive forgave forgiven
freeze froze frozen
get got gotten
give gave given
go went gone
grow grew grown
hang hung
hear heard
hide hid hidden
hold held
keep kept
kneel knelt
know knew known
lead led
leap leapt
learn learnt
leave left
lend lent
lose lost
make made
mean meant
meet met
pay paid
ride rode ridden
ring rang rung
run ran
say said
see seen
seek sought
sell sold
send sent
sew sewn
shake shook shaken
shine shone
shoot shot
show shown
shrink shrank shrunk
sing sang sung
sink sank sunk
sit sat
sleep slept
slide slid
speak spoke spoken
spend spent
spin spun
spring sprang sprung
stand stood
steal stole stolen
stick stuck
sting stung
strike struck
swear swore sworn
sweep swept
swim swam swum
swing swung
take took taken
teach taught
tear tore torn
tell told
think thought
throw threw thrown
understand understood
wake woke woken
wear wore worn
weave wove woven
win won
write wrote written
child children
man men
woman women
person people
foot feet
tooth teeth
mouse mice
goose geese
wife wives
knife knives
half halves
shelf shelves
wolf wolves
thief thieves
calf calves`

/**
 * Informal and clipped English words of chat, each line one word's forms ("fam" / "family",
 * "fave" / "favorite", "tourney" / "tournament"): what people type and what they later ask for.
 * Left out: clippings that are mostly another word ("comp", "rec", "pro", "doc", "sub").
 */
export const ENGLISH_INFORMAL = `family fam
favorite favourite fave fav
picture pic
girlfriend gf
boyfriend bf
tournament tourney
application app
puppy pup
grandmother grandma granny
grandfather grandpa
mother mom mum
father dad
child kid
birthday bday
conversation convo
video vid
information info
business biz
vacation vacay
festival fest
university uni
professor prof
photograph photo
television tv
refrigerator fridge
laboratory lab
gymnasium gym
examination exam
mathematics math maths
advertisement ad advert`
