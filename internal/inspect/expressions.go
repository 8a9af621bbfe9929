package inspect

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"gongkai/internal/errs"
)

// Expressions (表述错误): 19号 fails a site for serious errors of expression
// (wrong names of state leaders, wrong names of the state's organs, wrong
// maps) and deducts points for typos. The list of known errors is the
// unit's (unit setting inspect.expressions), one a line:
//
//	错误写法 => 正确写法          a typo: a deduction
//	错误写法 => 正确写法 | 严重    a serious error: a veto
//
// It is shipped with a few common typos of government texts and nothing
// else: only the unit can say which errors are serious in its context.

// ExpressionsKey is the unit setting holding the list.
const ExpressionsKey = "inspect.expressions"

// DefaultExpressions are the common typos the list starts with.
const DefaultExpressions = `按装 => 安装
既使 => 即使
再接再励 => 再接再厉
迫不急待 => 迫不及待
不径而走 => 不胫而走
一愁莫展 => 一筹莫展
按步就班 => 按部就班
出谋化策 => 出谋划策
走头无路 => 走投无路
截止目前 => 截至目前`

// Expression is one entry of the list.
type Expression struct {
	Wrong, Right string
	Serious      bool
}

// MaxExpressions bounds the list.
const MaxExpressions = 2000

// ParseExpressions reads the list, refusing a line it cannot read with its
// number. Blank lines and lines starting with # are skipped; an entry whose
// wrong and right forms are the same is refused.
func ParseExpressions(text string) ([]Expression, error) {
	var out []Expression
	var f errs.Fields
	seen := map[string]int{}
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		n := i + 1
		var e Expression
		if j := strings.LastIndex(line, "|"); j >= 0 {
			switch strings.TrimSpace(line[j+1:]) {
			case "严重", "serious":
				e.Serious = true
			case "", "错别字", "一般":
			default:
				f.Add("expressions", "第 %d 行：“|”后只能写“严重”或“一般”", n)
				continue
			}
			line = strings.TrimSpace(line[:j])
		}
		parts := strings.SplitN(strings.ReplaceAll(line, "＝>", "=>"), "=>", 2)
		e.Wrong = strings.TrimSpace(parts[0])
		if len(parts) == 2 {
			e.Right = strings.TrimSpace(parts[1])
		}
		switch {
		case e.Wrong == "":
			f.Add("expressions", "第 %d 行：缺少错误写法（格式：错误写法 => 正确写法）", n)
			continue
		case utf8.RuneCountInString(e.Wrong) > 50 || utf8.RuneCountInString(e.Right) > 50:
			f.Add("expressions", "第 %d 行：每种写法不超过 50 字", n)
			continue
		case e.Right != "" && e.Right == e.Wrong:
			f.Add("expressions", "第 %d 行：错误写法与正确写法相同（%s）", n, e.Wrong)
			continue
		case e.Right != "" && strings.Contains(e.Right, e.Wrong):
			f.Add("expressions", "第 %d 行：正确写法“%s”包含错误写法“%s”，正确的文字也会被当作错误", n, e.Right, e.Wrong)
			continue
		}
		if prev, ok := seen[e.Wrong]; ok {
			f.Add("expressions", "第 %d 行：“%s”与第 %d 行重复", n, e.Wrong, prev)
			continue
		}
		seen[e.Wrong] = n
		out = append(out, e)
	}
	if len(out) > MaxExpressions {
		f.Add("expressions", "清单不能超过 %d 条（现有 %d 条）", MaxExpressions, len(out))
	}
	return out, f.Err()
}

// Hit is one occurrence of a listed expression in a text.
type Hit struct {
	Expression
	Context string // the text around it
}

// Scan finds the listed expressions in a text: each expression once per
// text, with the words around its first occurrence.
func Scan(list []Expression, text string) []Hit {
	var out []Hit
	for _, e := range list {
		i := strings.Index(text, e.Wrong)
		if i < 0 {
			continue
		}
		out = append(out, Hit{Expression: e, Context: contextAround(text, i, len(e.Wrong))})
	}
	return out
}

// contextAround is up to 15 characters on each side of text[i:i+n].
func contextAround(text string, i, n int) string {
	const side = 15
	before := []rune(text[:i])
	after := []rune(text[i+n:])
	if len(before) > side {
		before = before[len(before)-side:]
	}
	if len(after) > side {
		after = after[:side]
	}
	s := strings.Join(strings.Fields(string(before)+"【"+text[i:i+n]+"】"+string(after)), " ")
	return "…" + s + "…"
}

// CheckExpressions records the hits of one text (an item, a page): key
// says where (an item, a page's URL), so each expression is one finding
// per place.
func CheckExpressions(list []Expression, text, where string, base Finding, acc *Acc) {
	for _, h := range Scan(list, text) {
		f := base
		f.Indicator = Wording
		f.Level = Deduction
		if h.Serious {
			f.Level = Veto
		}
		f.Key = where + "|" + h.Wrong
		if h.Right != "" {
			f.Message = fmt.Sprintf("“%s”应为“%s”", h.Wrong, h.Right)
		} else {
			f.Message = fmt.Sprintf("表述错误“%s”", h.Wrong)
		}
		if h.Serious {
			f.Message = "严重表述错误：" + f.Message
		}
		f.Context = h.Context
		acc.Add(f)
	}
}

func itemWhere(id int64) string { return "item:" + strconv.FormatInt(id, 10) }
