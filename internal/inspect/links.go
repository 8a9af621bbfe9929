package inspect

import (
	"strings"

	xhtml "golang.org/x/net/html"
)

// BodyLinks lists the targets of the links and images in an item's HTML
// (href of a, src of img), each once, in order; mailto, tel and fragment
// links are not addresses to check.
func BodyLinks(body string) []string {
	if !strings.Contains(body, "href") && !strings.Contains(body, "src") {
		return nil
	}
	z := xhtml.NewTokenizer(strings.NewReader(body))
	seen := map[string]bool{}
	var out []string
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			return out
		}
		if tt != xhtml.StartTagToken && tt != xhtml.SelfClosingTagToken {
			continue
		}
		name, has := z.TagName()
		want := ""
		switch string(name) {
		case "a":
			want = "href"
		case "img":
			want = "src"
		default:
			continue
		}
		for has {
			var k, v []byte
			k, v, has = z.TagAttr()
			if string(k) != want {
				continue
			}
			h := strings.TrimSpace(string(v))
			low := strings.ToLower(h)
			if h == "" || strings.HasPrefix(h, "#") || strings.HasPrefix(low, "mailto:") || strings.HasPrefix(low, "tel:") || strings.HasPrefix(low, "javascript:") || strings.HasPrefix(low, "data:") {
				continue
			}
			if !seen[h] {
				seen[h] = true
				out = append(out, h)
			}
		}
	}
}
