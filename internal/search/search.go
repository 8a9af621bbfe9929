// Package search segments Chinese text for full-text search (全文检索) and
// parses what people type into the search box.
//
// Chinese has no spaces between words, and a dictionary segmenter misses
// the words it does not know (names of places, enterprises, new policy
// terms). The index therefore keeps every pair of adjacent Han characters
// (overlapping bigrams) and every single character; ASCII letters and digits
// are kept as lower-case words. A query word of two or more Han characters
// becomes the phrase of its bigrams, so it finds exactly the texts that
// contain it as a substring: 海关 finds 福州海关 and 海关总署 alike, and 关税
// never matches 海关 税务 (the bigram 关税 is not there). A single character
// is looked up among the single characters.
//
// The tokens are written as space-separated text; the store indexes them
// with SQLite FTS5 and PostgreSQL tsvector, so the two engines find the same
// items. The package imports neither net/http nor a SQL driver.
package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxPhraseTokens bounds the phrase stream of one document. PostgreSQL
// keeps tsvector positions only up to 16383, so both engines index the same
// first MaxPhraseTokens tokens of an item for phrases (about as many
// characters of text); single characters are indexed from the whole text.
const MaxPhraseTokens = 16000

// MaxTerms bounds the terms of one query.
const MaxTerms = 12

// IsHan reports whether r is a Han character (汉字).
func IsHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// Fold maps one rune to its searchable form: full-width ASCII to ASCII
// (Ａ→a, ２→2), upper to lower case. It never changes the number of runes,
// so that positions found in folded text are positions in the original.
func Fold(r rune) rune {
	if r >= 0xFF01 && r <= 0xFF5E {
		r -= 0xFEE0
	}
	if r == 0x3000 {
		return ' '
	}
	return unicode.ToLower(r)
}

func isWordRune(r rune) bool {
	return r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
}

// run is a maximal sequence of Han characters or of ASCII letters and
// digits, in folded form.
type run struct {
	han  bool
	text []rune
}

func runs(s string) []run {
	var out []run
	var cur []rune
	curHan := false
	flush := func() {
		if len(cur) > 0 {
			out = append(out, run{han: curHan, text: cur})
			cur = nil
		}
	}
	for _, r := range s {
		r = Fold(r)
		switch {
		case IsHan(r):
			if !curHan {
				flush()
			}
			curHan = true
			cur = append(cur, r)
		case isWordRune(r):
			if curHan {
				flush()
			}
			curHan = false
			cur = append(cur, r)
		default:
			flush()
		}
	}
	flush()
	return out
}

// Doc is the index form of one text: Phrase holds, in order, the bigrams of
// every run of two or more Han characters and every ASCII word; Chars holds
// each distinct Han character once.
type Doc struct {
	Phrase []string
	Chars  []string
}

// Segment turns a text into its index form. The phrase stream is cut at
// limit tokens (no cut when limit <= 0).
func Segment(text string, limit int) Doc {
	var d Doc
	seen := map[rune]bool{}
	for _, rn := range runs(text) {
		if rn.han {
			for i, r := range rn.text {
				if !seen[r] {
					seen[r] = true
					d.Chars = append(d.Chars, string(r))
				}
				if i > 0 && (limit <= 0 || len(d.Phrase) < limit) {
					d.Phrase = append(d.Phrase, string(rn.text[i-1:i+1]))
				}
			}
			continue
		}
		if limit <= 0 || len(d.Phrase) < limit {
			d.Phrase = append(d.Phrase, string(rn.text))
		}
	}
	return d
}

// Kind says how a query term is looked up.
type Kind int

const (
	// Phrase is a run of two or more Han characters: the phrase of its
	// bigrams in the phrase stream.
	Phrase Kind = iota + 1
	// Char is a single Han character, looked up among the characters.
	Char
	// Word is an ASCII word (letters and digits), a token of the phrase
	// stream.
	Word
)

// Term is one thing a query asks for; an item matches a query when it
// contains every term.
type Term struct {
	Kind   Kind
	Text   string   // the folded term as typed, e.g. 海关总署
	Tokens []string // Phrase: its bigrams; Char, Word: the term itself
}

// Query is a parsed search query.
type Query struct {
	Terms []Term
}

// Empty reports whether the query asks for nothing.
func (q Query) Empty() bool { return len(q.Terms) == 0 }

// Parse splits a query into terms: each run of Han characters and each ASCII
// word is a term (punctuation and spaces separate them), duplicates are
// dropped, and at most MaxTerms are kept.
func Parse(s string) Query {
	var q Query
	seen := map[string]bool{}
	for _, rn := range runs(s) {
		text := string(rn.text)
		if seen[text] || len(q.Terms) >= MaxTerms {
			continue
		}
		seen[text] = true
		switch {
		case rn.han && len(rn.text) == 1:
			q.Terms = append(q.Terms, Term{Kind: Char, Text: text, Tokens: []string{text}})
		case rn.han:
			t := Term{Kind: Phrase, Text: text}
			for i := 1; i < len(rn.text); i++ {
				t.Tokens = append(t.Tokens, string(rn.text[i-1:i+1]))
			}
			q.Terms = append(q.Terms, t)
		default:
			q.Terms = append(q.Terms, Term{Kind: Word, Text: text, Tokens: []string{text}})
		}
	}
	return q
}

// String renders the query's terms separated by spaces.
func (q Query) String() string {
	parts := make([]string, len(q.Terms))
	for i, t := range q.Terms {
		parts[i] = t.Text
	}
	return strings.Join(parts, " ")
}

// Contains reports whether text contains every term of q, by the same rule
// the index applies: a Phrase or Char term as a substring of the folded
// text, a Word term as a whole ASCII word. It is the reference the store's
// tests compare both engines against.
func (q Query) Contains(text string) bool {
	if q.Empty() {
		return false
	}
	folded := foldString(text)
	var words map[string]bool
	for _, t := range q.Terms {
		switch t.Kind {
		case Word:
			if words == nil {
				words = map[string]bool{}
				for _, rn := range runs(text) {
					if !rn.han {
						words[string(rn.text)] = true
					}
				}
			}
			if !words[t.Text] {
				return false
			}
		default:
			if !strings.Contains(folded, t.Text) {
				return false
			}
		}
	}
	return true
}

func foldString(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(Fold(r))
	}
	return b.String()
}
