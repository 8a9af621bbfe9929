package redact

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"gongkai/internal/annual"
	"gongkai/internal/errs"
)

// The public log of answered requests (条例第四十四条's spirit, issue 16):
// each answered application may show on the portal as its question with
// the personal data removed (第十五条), its outcome and answer date, and for
// 予以公开 the documents released. The rules here propose the question's
// public text; a handler edits and approves each entry before it shows.

// LogRemoved stands in the public question for each removal.
const LogRemoved = "［已删除］"

// MaxLogQuestion bounds an entry's public question, in characters.
const MaxLogQuestion = 2000

// LogQuestion proposes an entry's public question: the application's
// description with every match of the rules (the unit's and
// DefaultRules) and every one of names (the applicant's name, his
// address, …) replaced by LogRemoved. Rules and names that match nothing
// are skipped; a rule whose expression does not compile is skipped too
// (the unit's rules are checked when added).
func LogQuestion(text string, rules []Rule, names []string) string {
	src := &Source{Format: Text, Pages: []Page{{Text: text}}}
	var marks []Mark
	for _, r := range rules {
		if matches(text, r.Kind, r.Text) {
			marks = append(marks, r.Mark())
		}
	}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if utf8.RuneCountInString(n) >= 2 && strings.Contains(text, n) {
			marks = append(marks, Mark{Kind: Term, Text: n, Ground: annual.RowWithheldThirdPartyRights})
		}
	}
	if len(marks) == 0 {
		return text
	}
	res, err := Apply(src, marks)
	if err != nil {
		return text
	}
	var b strings.Builder
	for _, p := range res.Pages {
		for _, s := range p.Segments {
			if s.Removed {
				b.WriteString(LogRemoved)
			} else {
				b.WriteString(s.Text)
			}
		}
	}
	return b.String()
}

func matches(text string, k MarkKind, expr string) bool {
	switch k {
	case Term:
		return expr != "" && strings.Contains(text, expr)
	case Pattern:
		re, err := regexp.Compile(expr)
		return err == nil && re.MatchString(text)
	}
	return false
}

// CheckLogQuestion validates the question a handler approves: not empty,
// bounded, and with none of what the rules or names still find (an ID or
// mobile number the handler typed back in is refused, not published).
func CheckLogQuestion(q string, rules []Rule, names []string) error {
	q = strings.TrimSpace(q)
	switch {
	case q == "":
		return errs.FieldError("question", "请填写公开的申请内容。")
	case utf8.RuneCountInString(q) > MaxLogQuestion:
		return errs.FieldError("question", "公开的申请内容最多%d字。", MaxLogQuestion)
	}
	for _, r := range rules {
		if matches(q, r.Kind, r.Text) {
			return errs.FieldError("question", "公开的申请内容仍含有个人信息（%s），请删除后再批准。", r.Name)
		}
	}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if utf8.RuneCountInString(n) >= 2 && strings.Contains(q, n) {
			return errs.FieldError("question", "公开的申请内容仍含有申请人的姓名、名称或地址，请删除后再批准。")
		}
	}
	return nil
}

// LogShowsDocuments reports whether an entry with this outcome lists the
// released documents: only a full disclosure (予以公开). A 部分公开's
// released copies stay with the applicant.
func LogShowsDocuments(outcome annual.RowKey) bool {
	return outcome == annual.RowDisclosed
}
