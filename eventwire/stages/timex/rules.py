"""The rule table of the time-expression tagger: one (name, pattern, normaliser) per line.

Order matters only for ties: when two rules match the same longest stretch of text, the
earlier one wins. Spans follow TimeML: determiners and modifiers ("the", "last", "early",
"about") are inside, prepositions ("in", "on", "for", "since") are outside.
"""

from __future__ import annotations

from eventwire.stages.timex import grammar as g
from eventwire.stages.timex import grammar_deictic as d
from eventwire.stages.timex import grammar_extent as x
from eventwire.stages.timex.grammar import END, MOD, START, Rule
from eventwire.stages.timex.lexicon import Lexicon, expand

YEAR = r"(?:1\d|2[01])\d\d"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
NOT_QUANTITY = r"(?!\d|:\d|,\d|\s*(?:%|percent|per\s*cent|million|billion|thousand|hundred)\b)"
REL = (r"last|this|next|this\s+past|this\s+coming|the\s+coming|the\s+past|the\s+next|"
       r"the\s+following|the\s+previous|the\s+preceding|past|coming")
QUANT = (r"(?:(?P<quant>about|around|nearly|almost|roughly|approximately|some|more\s+than|"
         r"less\s+than|fewer\s+than|at\s+least|at\s+most|up\s+to|over|under|only|just|within|"
         r"no\s+more\s+than|no\s+less\s+than|upwards\s+of|another|an\s+additional|"
         r"(?:each\s+of\s+)?the(?:\s+(?:past|last|next|first|final|previous|coming|following|"
         r"latest|remaining|preceding|ensuing|prior|initial|full|entire|whole|same))?|past|"
         r"last|next|first|final|previous|coming|following)\s+)?")
NUM = r"(?P<num>\d+\s+\d/\d|<NUM>)"
UNIT_ADJ = (r"(?:(?:more|additional|full|straight|consecutive|long|short|trading|business|"
            r"working|calendar|school|fiscal|extra|whole|entire)[\s-]+)?")

RULES: list[tuple[str, str, g.Normaliser]] = [
    ("iso", r"(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)(?:T(?P<H>\d\d):(?P<M>\d\d)(?::\d\d)?)?"
     r"(?![\d-])", g.iso_date),
    ("numeric", r"(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})"
     r"(?![\d/.]\d|\d)", g.numeric_date),
    ("month_day", rf"(?:(?P<wd><WEEKDAY>|<WEEKDAY_ABBR>),?\s+)?(?P<mon><MONTH>)\s+"
     rf"(?P<day>{DAY}|<ORD_WORD_DAY>)(?:(?:,\s*|\s+)(?P<year>{YEAR}|'\d\d))?{NOT_QUANTITY}",
     g.month_day),
    ("day_month", rf"(?:(?P<wd><WEEKDAY>|<WEEKDAY_ABBR>),?\s+)?(?:(?P<the>the)\s+)?"
     rf"(?P<day>{DAY}|<ORD_WORD_DAY>)(?:\s+(?P<of>of))?\s+(?P<mon><MONTH>)"
     rf"(?:,?\s+(?P<year>{YEAR}))?(?!\d)", g.day_month),
    ("month_year", rf"(?:(?P<mod>{MOD})[\s-]+)?(?P<mon><MONTH>)(?:\s+of)?,?\s+"
     rf"(?P<year>{YEAR}|<SPOKEN_YEAR>|'\d\d)(?![\d,]\d|\d)", g.month_year),
    ("month", rf"(?:(?P<rel>{REL})\s+)?(?:(?P<mod>{MOD})[\s-]+)?(?:the\s+month\s+of\s+)?"
     r"(?P<mon><MONTH_FULL>)(?:,?\s+(?P<yrel>last|this|next)\s+year)?", g.bare_month),
    ("year", rf"(?:(?P<fiscal>fiscal(?:\s+year)?|FY|calendar(?:\s+year)?|the\s+(?:fiscal\s+|"
     rf"calendar\s+)?year|model\s+year)\s*)?(?:(?P<mod>{MOD}|pre|post|mid)[\s-]+)?"
     rf"(?P<year>{YEAR})(?!\d|s\b|'s\b|\.\d|,\d|-\d|/\d|:\d|\s*(?:%|percent)\b)", g.year_only),
    ("spoken_year", r"(?:the\s+year\s+)(?P<year><SPOKEN_YEAR>)|(?P<year2><SPOKEN_YEAR>)",
     g.spoken_year),
    ("decade", r"(?:the\s+)?(?:(?P<mod>early|mid|late)[\s-]+)?(?P<dec>(?:1\d|20)\d0'?s)",
     g.decade),
    ("decade_short", r"the\s+(?:(?P<mod>early|mid|late)[\s-]+)?(?P<dec>'?\d0'?s|twenties|"
     r"thirties|forties|fifties|sixties|seventies|eighties|nineties)", g.decade),
    ("century", r"(?:the\s+)?(?P<ord>\d{1,2}(?:st|nd|rd|th)|<ORD_WORD_DAY>)[\s-]+century",
     g.century),
    ("quarter", rf"(?:(?P<det>the|its|their|a|this|that|last|next|this\s+year's|"
     rf"last\s+year's|next\s+year's|the\s+same|the\s+year-(?:earlier|ago)|the\s+comparable"
     rf"(?:\s+year-(?:earlier|ago))?|the\s+corresponding|the\s+current|the\s+latest|"
     rf"the\s+previous|the\s+past|the\s+fiscal|(?:the\s+)?(?P<yr>{YEAR}))\s+)?"
     rf"(?:(?:fiscal|calendar)[\s-]+)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)"
     rf"[\s-]+(?:fiscal[\s-]+)?quarter(?P<plural>s)?(?:\s+(?:of\s+)?(?:fiscal\s+)?"
     rf"(?P<yr3>{YEAR})|\s+of\s+(?:the\s+)?(?P<yrel>this|last|next)\s+year)?", g.quarter),
    ("quarter_q", rf"(?:(?P<q>[1-4])Q|Q(?P<q2>[1-4]))(?:[\s/-]*(?P<yr3>{YEAR}))?",
     g.quarter_q),
    ("bare_quarter", rf"(?P<det>the|this|that|last|next|the\s+current|the\s+latest|"
     rf"the\s+most\s+recent|the\s+previous|the\s+past|the\s+same|the\s+coming|the\s+next|"
     rf"the\s+year-earlier|the\s+year-ago|the\s+comparable(?:\s+year-(?:earlier|ago))?|"
     rf"the\s+corresponding|the\s+fiscal|its|the\s+latest\s+fiscal|(?:the\s+)?(?P<yr>{YEAR}))"
     r"\s+(?:fiscal\s+)?quarter(?!s|ly|-)", g.bare_quarter),
    ("period", rf"(?P<det>the\s+latest|the\s+most\s+recent|the\s+current|the\s+comparable|"
     rf"the\s+corresponding|the\s+year-earlier|the\s+year-ago|the\s+latest\s+fiscal|"
     rf"the\s+(?P<yr>{YEAR}))\s+(?:fiscal\s+)?period", g.bare_quarter),
    ("half", rf"(?:the\s+)?(?P<ord>first|second|last|latter|back|front)[\s-]+half\s+of\s+"
     rf"(?:(?P<yr>{YEAR})|(?P<yrel>this|last|next)\s+year|the\s+(?:fiscal\s+)?year)", g.half),
    ("season", rf"(?:(?P<rel>{REL}|the)\s+)?(?:(?P<mod>early|mid|late)[\s-]+)?"
     rf"(?P<season><SEASON>)(?:\s+(?:of\s+)?(?P<year>{YEAR}|<SPOKEN_YEAR>|'\d\d))?"
     r"(?!\w|\s+of\b)", g.season_rule),
    ("holiday", rf"(?:(?P<rel>last|this|next|this\s+past|this\s+coming)\s+)?(?P<hol><HOLIDAY>)"
     rf"(?:\s+(?P<year>{YEAR}))?", g.holiday_rule),
    ("day_word", r"(?:(?P<mod>early|late|earlier|later)\s+)?(?P<w>today|tonight|tomorrow|"
     r"yesterday|the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow)"
     r"(?:\s+(?P<pod><POD>))?", d.day_word),
    ("day_part", r"(?P<w>this|last|tomorrow|yesterday)\s+(?P<pod><POD>)", d.day_part),
    ("weekday", rf"(?:(?P<rel>{REL}|the\s+following|early|late|earlier|later)\s+)?"
     r"(?P<wd><WEEKDAY>|<WEEKDAY_ABBR>)(?P<pl>s)?(?:\s+(?P<pod><POD>))?", d.weekday),
    ("unit_relative", rf"(?:(?P<mod>{MOD})\s+)?(?P<rel>this|last|next|past|the\s+past|"
     r"the\s+last|the\s+previous|the\s+next|the\s+coming|the\s+following|the\s+current|"
     r"the\s+same|that|that\s+same|the\s+very\s+same|the\s+latest|the\s+prior|this\s+past|"
     r"this\s+coming|the\s+upcoming|the\s+preceding|the\s+present)\s+(?:fiscal\s+|calendar\s+)?"
     r"(?P<unit>day|week|weekend|month|year|decade|century|fortnight)(?![\w-])",
     d.unit_relative),
    ("the_weekend", r"(?P<rel>the)\s+(?P<unit>weekend)", d.unit_relative),
    ("the_unit", r"(?P<rel>the)\s+(?P<unit>year|week)(?=\s*[,.;:)]|'s)", d.unit_relative),
    ("year_ended", r"the\s+(?:(?:full|fiscal|calendar|current|latest|past|same|entire|whole)\s+)?"
     r"(?:fiscal\s+)?(?P<unit>year|quarter|month|week)(?=\s+(?:ended|ending|through|to\s+date)\b)",
     x.one_unit),
    ("whole_year", r"the\s+(?P<rel>full|fiscal|calendar|current|current\s+fiscal|entire|whole|"
     r"latest\s+fiscal|previous\s+fiscal|next\s+fiscal)\s+year", d.whole_year),
    ("in_unit", r"(?P<mod>earlier|later|early|late)\s+in\s+the\s+(?P<unit>day|week|month|year)",
     d.in_unit),
    ("year_end", r"(?:the\s+)?(?:year|month)[\s-]end|year's\s+end|the\s+end\s+of\s+the\s+"
     r"(?:year|month)", d.year_end),
    ("year_earlier", r"(?:the\s+(?:comparable\s+|corresponding\s+)?)?year-(?:earlier|ago)"
     r"(?:\s+(?:period|quarter))?|the\s+(?:same|corresponding|comparable)\s+(?:period|quarter)"
     r"\s+(?:a\s+year\s+(?:earlier|ago)|(?:of\s+)?last\s+year|(?:of\s+)?the\s+previous\s+year)",
     d.year_earlier),
    ("ago", rf"{QUANT}(?:{NUM}[\s-]+)?{UNIT_ADJ}(?P<unit><UNIT>)\s+(?:or\s+so\s+)?"
     r"(?P<dir>ago|earlier|later|from\s+now|hence|back|(?:before|after)(?=\s*[.,;:)]))",
     d.ago),
    ("duration", rf"{QUANT}{NUM}(?P<half1>\s+and\s+a\s+half)?[\s-]+{UNIT_ADJ}(?P<unit><UNIT>)"
     r"(?P<half>\s+and\s+a\s+half)?(?:-(?:old|long))?", x.duration),
    ("unit_long", r"(?P<num>)(?P<unit>day|week|month|year|hour|decade|century)-long", x.duration),
    ("vague_units", r"(?:(?:the|these|those)\s+)?(?:recent|coming|past|last|next|following|"
     r"previous|ensuing|intervening|preceding|early|final|first)\s+(?:(?:few|several|many|"
     r"couple\s+of)\s+)?(?P<unit>days|weeks|months|years|decades|hours|minutes|quarters|"
     r"centuries)", x.vague_units),
    ("bare_plural", r"(?:(?<=\bfor\s)|(?<=\bwithin\s)|(?<=\bin\s)|(?<=\bfor\s\s))"
     r"(?P<unit>years|months|weeks|days|decades|hours|minutes|centuries)(?!\s+(?:of|ago|"
     r"earlier|later|before|after|to\s+come)\b)", x.vague_units),
    ("half_unit", r"(?:half\s+(?:an?\s+)?|an?\s+half[\s-])(?P<unit>hour|day|year|century|"
     r"decade|minute|month|week)", x.half_unit),
    ("set_word", r"(?P<w><SET_WORD>)", x.set_word),
    ("every", r"(?:every|each)\s+(?:(?P<other>other)\s+)?(?:(?P<wd><WEEKDAY>)|"
     r"(?P<mon><MONTH_FULL>)|(?P<season><SEASON>)|(?:(?P<num><NUM>)\s+)?(?P<unit><UNIT>))",
     x.every),
    ("times_per", r"(?:(?:once|twice|thrice|<NUM>\s+times)\s+(?:a|an|per|each|every)|per)\s+"
     r"(?P<unit>day|week|month|year|quarter|hour|minute|decade)", x.times_per),
    ("ref", r"(?P<w><REF>)", x.ref_word),
    ("clock", r"(?:(?:around|about|approximately|shortly\s+(?:before|after)|just\s+(?:before|"
     r"after))\s+)?(?:(?P<h>\d{1,2})(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>[ap]\.m\.?|[ap]m\b)|"
     r"(?P<h24>[01]?\d|2[0-3]):(?P<mi24>[0-5]\d)(?:\s*(?:hours|hrs|h)\b)?|"
     r"(?P<hw>\d{1,2}|<WORD_NUM>)(?:\s+o'clock|(?=\s+in\s+the\s+(?:morning|afternoon|evening)))"
     r"|(?P<noon>noon|midnight|midday))(?:\s*\(?(?P<tz><TZ>)\)?|\s+local\s+time)?"
     r"(?:\s+(?P<pod2>in\s+the\s+(?:morning|afternoon|evening)|at\s+night))?"
     r"(?:,?\s+(?P<day>today|tonight|yesterday|tomorrow|<WEEKDAY>|(?P<mon><MONTH>)\s+"
     r"(?P<dd>\d{1,2})(?!\d)))?", x.clock),
]


def rules(lex: Lexicon) -> list[Rule]:
    """The rules with their fragments expanded and word boundaries added."""
    return [Rule(name, START + "(?:" + expand(p, lex.fragments) + ")" + END, fn)
            for name, p, fn in RULES]
