package desk

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gongkai/internal/errs"
)

// Surveys (调查问卷): a questionnaire is built in the back office (single
// choice, multiple choice and free-text questions), opened on the portal,
// answered by the public under the same abuse protection as messages, and
// closed. Its results are counted from the answers kept one per response.
// Questions can be changed only while the survey is a draft, so that every
// answer refers to the question its respondent saw.

// Survey states.
const (
	SurveyDraft  = "draft"
	SurveyOpen   = "open"
	SurveyClosed = "closed"
)

// SurveyStates name the states.
var SurveyStates = []Choice{{SurveyDraft, "草稿"}, {SurveyOpen, "征集中"}, {SurveyClosed, "已结束"}}

// SurveyStateLabel names a state.
func SurveyStateLabel(s string) string { return labelOf(SurveyStates, s) }

// Question kinds.
const (
	QSingle = "single"
	QMulti  = "multi"
	QText   = "text"
)

// QuestionKinds name the kinds.
var QuestionKinds = []Choice{{QSingle, "单选题"}, {QMulti, "多选题"}, {QText, "填空题"}}

// QuestionKindLabel names a kind.
func QuestionKindLabel(k string) string { return labelOf(QuestionKinds, k) }

// Survey is a questionnaire.
type Survey struct {
	ID        int64
	UnitID    int64
	Title     string
	Intro     string
	State     string
	OpenedAt  time.Time
	ClosedAt  time.Time
	Questions []Question
	Responses int64
}

// Question is one question of a survey.
type Question struct {
	ID       int64
	SurveyID int64
	Pos      int
	Kind     string
	Text     string
	Required bool
	Options  []Option
}

// Option is one choice of a single- or multiple-choice question.
type Option struct {
	ID    int64
	Pos   int
	Label string
}

// ValidateSurvey checks a survey's title and introduction.
func ValidateSurvey(s *Survey) error {
	var f errs.Fields
	s.Title = strings.TrimSpace(s.Title)
	s.Intro = strings.TrimSpace(s.Intro)
	checkText(&f, "title", "问卷标题", s.Title, 100, true)
	checkText(&f, "intro", "问卷说明", s.Intro, MaxLongText, false)
	return f.Err()
}

// ParseQuestion builds a question from the back-office form: its options
// are one per line.
func ParseQuestion(kind, text, options string, required bool) (Question, error) {
	var f errs.Fields
	q := Question{Kind: kind, Text: strings.TrimSpace(text), Required: required}
	if _, ok := keyOf(QuestionKinds, kind); !ok {
		f.Add("kind", "请选择题型")
	}
	checkText(&f, "text", "题目", q.Text, 200, true)
	if kind == QSingle || kind == QMulti {
		seen := map[string]bool{}
		for _, line := range strings.Split(strings.ReplaceAll(options, "\r\n", "\n"), "\n") {
			line = strings.TrimSpace(line)
			if line == "" {
				continue
			}
			if seen[line] {
				f.Add("options", "选项“%s”重复", line)
				break
			}
			seen[line] = true
			if utf8.RuneCountInString(line) > 100 {
				f.Add("options", "选项“%.20s…”超过 100 字", line)
				break
			}
			q.Options = append(q.Options, Option{Pos: len(q.Options) + 1, Label: line})
		}
		if len(q.Options) < 2 || len(q.Options) > 20 {
			f.Add("options", "选择题应有 2–20 个选项，每行一个")
		}
	}
	return q, f.Err()
}

// Answer is a respondent's answer to one question: the chosen options, or
// the text typed.
type Answer struct {
	QuestionID int64
	OptionIDs  []int64
	Text       string
}

// FieldName is the form field of a question on the portal.
func (q Question) FieldName() string { return "q" + strconv.FormatInt(q.ID, 10) }

// ValidateResponse reads a respondent's form (field q<ID> per question)
// into answers, reporting every question at fault.
func ValidateResponse(s Survey, form map[string][]string) ([]Answer, error) {
	var f errs.Fields
	var out []Answer
	for i, q := range s.Questions {
		vals := form[q.FieldName()]
		label := "第 " + strconv.Itoa(i+1) + " 题"
		switch q.Kind {
		case QText:
			text := ""
			if len(vals) > 0 {
				text = strings.TrimSpace(vals[0])
			}
			if text == "" {
				if q.Required {
					f.Add(q.FieldName(), "%s为必答题，请填写", label)
				}
				continue
			}
			if n := utf8.RuneCountInString(text); n > 1000 {
				f.Add(q.FieldName(), "%s的回答不能超过 1000 字（现有 %d 字）", label, n)
				continue
			}
			out = append(out, Answer{QuestionID: q.ID, Text: text})
		default:
			var ids []int64
			bad := false
			seen := map[int64]bool{}
			for _, v := range vals {
				id, err := strconv.ParseInt(v, 10, 64)
				if err != nil || !q.hasOption(id) {
					bad = true
					break
				}
				if !seen[id] {
					seen[id] = true
					ids = append(ids, id)
				}
			}
			switch {
			case bad:
				f.Add(q.FieldName(), "%s的选项无效，请重新选择", label)
			case len(ids) == 0 && q.Required:
				f.Add(q.FieldName(), "%s为必答题，请选择", label)
			case len(ids) > 1 && q.Kind == QSingle:
				f.Add(q.FieldName(), "%s为单选题，只能选择一项", label)
			case len(ids) > 0:
				out = append(out, Answer{QuestionID: q.ID, OptionIDs: ids})
			}
		}
	}
	if len(f) == 0 && len(out) == 0 {
		return nil, errs.E(errs.Invalid, "您还没有回答任何问题")
	}
	return out, f.Err()
}

func (q Question) hasOption(id int64) bool {
	for _, o := range q.Options {
		if o.ID == id {
			return true
		}
	}
	return false
}

// QuestionResult is a question's tally.
type QuestionResult struct {
	Question Question
	Answered int64           // respondents who answered it
	Counts   map[int64]int64 // option id → times chosen
	Texts    []string        // free-text answers, newest first (a page of them)
	TextN    int64           // all free-text answers
}

// Share is the percentage of respondents who chose an option, one decimal.
func (r QuestionResult) Share(optionID int64) string {
	if r.Answered == 0 {
		return "0.0%"
	}
	return Percent(float64(r.Counts[optionID]) * 100 / float64(r.Answered))
}

// ResponseAt is a past response (moved from an earlier system, or the
// demo's year): its time and answers.
type ResponseAt struct {
	At      time.Time
	Answers []Answer
}
