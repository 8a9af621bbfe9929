package mail

import (
	"regexp"
	"strings"

	xhtml "golang.org/x/net/html"

	"gongkai/internal/requests"
)

// HTMLText cleans an HTML body to text: the text of the document with its
// block structure as line breaks, without scripts, styles, comments or
// markup, entities decoded.
func HTMLText(s string) string {
	z := xhtml.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := 0
	nl := func() {
		if t := b.String(); t != "" && !strings.HasSuffix(t, "\n") {
			b.WriteByte('\n')
		}
	}
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return strings.TrimSpace(collapseBlankLines(b.String()))
		case xhtml.TextToken:
			if skip == 0 {
				t := strings.Join(strings.Fields(string(z.Text())), " ")
				if t != "" {
					b.WriteString(t)
				}
			}
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style", "head", "title":
				skip++
			case "br":
				b.WriteByte('\n')
			case "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote":
				nl()
			case "td", "th":
				b.WriteByte(' ')
			}
		case xhtml.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style", "head", "title":
				if skip > 0 {
					skip--
				}
			case "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote":
				nl()
			}
		}
	}
}

var blankLines = regexp.MustCompile(`\n{3,}`)

func collapseBlankLines(s string) string { return blankLines.ReplaceAllString(s, "\n\n") }

var idCandidate = regexp.MustCompile(`[0-9A-Za-z]{18}`)

// IDNumbers finds the identity numbers in a text: 18-character runs that
// pass the check of a 公民身份号码 or a 统一社会信用代码, each once.
func IDNumbers(s string) []string {
	var out []string
	for _, loc := range idCandidate.FindAllStringIndex(s, -1) {
		// a run inside a longer run of letters and digits is no number
		if loc[0] > 0 && isAlnum(s[loc[0]-1]) || loc[1] < len(s) && isAlnum(s[loc[1]]) {
			continue
		}
		c := s[loc[0]:loc[1]]
		id, err := requests.ValidateResidentID(c)
		if err != nil {
			if id, err = requests.ValidateCreditCode(c); err != nil {
				continue
			}
		}
		dup := false
		for _, x := range out {
			dup = dup || x == id
		}
		if !dup {
			out = append(out, id)
		}
	}
	return out
}

// MaskIDNumbers replaces each of ids in s by its masked form
// (requests.MaskID), case-insensitively for the check character.
func MaskIDNumbers(s string, ids []string) string {
	for _, id := range ids {
		s = strings.ReplaceAll(s, id, requests.MaskID(id))
		s = strings.ReplaceAll(s, strings.ToLower(id), requests.MaskID(id))
	}
	return s
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

var receiptNo = regexp.MustCompile(`YSQ[0-9]{8}[0-9]{6,}`)

// ReceiptNo is the receipt number (申请编号) named in a subject, as a reply
// to a 补正 notice carries it, or "".
func ReceiptNo(subject string) string {
	return receiptNo.FindString(strings.ToUpper(subject))
}
