package requests

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"gongkai/internal/errs"
)

// Subjects (申请内容分类) say what applications were about. Section 一（二）
// of the annual report (国办公开办函〔2021〕30号, 总体情况) describes the year's
// applications in words — 「内容涉及统计数据、报关单证和行政执法信息等」 — and the
// report is a query: the words come from a handler's classification of each
// application, recorded as an event of its history (SubjectsMarked), never
// typed into the report.
//
// Each unit keeps its own list (a setting, DefaultSubjects until changed);
// its order breaks ties when subjects are ranked by count. A subject taken
// off the list stays on the applications that had it and is ranked after
// the listed ones.

// DefaultSubjects is the list a unit starts with: what a customs office's
// applications are commonly about.
var DefaultSubjects = []string{"统计数据", "报关单证", "行政执法信息", "行政许可", "政策文件", "企业信息", "其他"}

// Limits of a unit's list.
const (
	MaxSubjects     = 30 // entries in a unit's list
	MaxSubjectRunes = 20 // characters in one subject
)

// ParseSubjectList reads a list typed one subject a line, blank lines
// ignored, and checks it (ValidSubjectList).
func ParseSubjectList(text string) ([]string, error) {
	var list []string
	for _, line := range strings.Split(text, "\n") {
		if s := strings.TrimSpace(line); s != "" {
			list = append(list, s)
		}
	}
	return list, ValidSubjectList(list)
}

// ValidSubjectList checks a unit's list: at least one subject and at most
// MaxSubjects, each named in at most MaxSubjectRunes characters without
// line breaks or control characters, none twice.
func ValidSubjectList(list []string) error {
	if len(list) == 0 {
		return errs.FieldError("subjects", "请至少填写一项申请内容分类。")
	}
	if len(list) > MaxSubjects {
		return errs.FieldError("subjects", "申请内容分类最多%d项，现有%d项。", MaxSubjects, len(list))
	}
	seen := map[string]bool{}
	for _, s := range list {
		if s != strings.TrimSpace(s) || s == "" {
			return errs.FieldError("subjects", "分类名称前后不能有空格，也不能为空。")
		}
		if n := utf8.RuneCountInString(s); n > MaxSubjectRunes {
			return errs.FieldError("subjects", "分类“%s”超过%d个字。", s, MaxSubjectRunes)
		}
		if strings.IndexFunc(s, unicode.IsControl) >= 0 || !utf8.ValidString(s) {
			return errs.FieldError("subjects", "分类“%s”含有换行或控制字符。", strings.Map(printable, s))
		}
		if seen[s] {
			return errs.FieldError("subjects", "分类“%s”重复。", s)
		}
		seen[s] = true
	}
	return nil
}

func printable(r rune) rune {
	if unicode.IsControl(r) {
		return -1
	}
	return r
}

// CheckSubjects checks the subjects a handler chose for an application
// against the unit's list: at least one, each on the list. It returns
// them without duplicates, in the list's order.
func CheckSubjects(chosen, list []string) ([]string, error) {
	picked := map[string]bool{}
	for _, s := range chosen {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		found := false
		for _, l := range list {
			found = found || l == s
		}
		if !found {
			return nil, errs.FieldError("subjects", "“%s”不在本单位的申请内容分类中。", strings.Map(printable, s))
		}
		picked[s] = true
	}
	if len(picked) == 0 {
		return nil, errs.FieldError("subjects", "请至少选择一项申请内容。")
	}
	var out []string
	for _, l := range list {
		if picked[l] {
			out = append(out, l)
		}
	}
	return out, nil
}

// SubjectCount is the number of applications about one subject.
type SubjectCount struct {
	Subject string
	N       int
}

// SortSubjectCounts orders counts as the report names them: the most
// frequent first; among equals, the subject earlier in the unit's list
// first; subjects no longer on the list after all listed ones, by name.
func SortSubjectCounts(counts []SubjectCount, list []string) {
	pos := make(map[string]int, len(list))
	for i, s := range list {
		pos[s] = i
	}
	rank := func(s string) int {
		if i, ok := pos[s]; ok {
			return i
		}
		return len(list)
	}
	sort.SliceStable(counts, func(i, j int) bool {
		a, b := counts[i], counts[j]
		if a.N != b.N {
			return a.N > b.N
		}
		if ra, rb := rank(a.Subject), rank(b.Subject); ra != rb {
			return ra < rb
		}
		return a.Subject < b.Subject
	})
}

// subjectSep joins an event's subjects where they are stored (a subject
// never contains a line break).
const subjectSep = "\n"

// JoinSubjects is the stored form of a list of subjects.
func JoinSubjects(list []string) string { return strings.Join(list, subjectSep) }

// SplitSubjects reads the stored form back.
func SplitSubjects(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, subjectSep)
}
