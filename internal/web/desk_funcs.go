package web

import (
	"fmt"
	"net/url"

	"gongkai/internal/desk"
)

// Template functions of the desk's pages: the Chinese names of the desk's
// stored keys. They join the shared function map before any template is
// parsed (package variables are set before init runs, New parses later).
func init() {
	for k, v := range map[string]any{
		"topicLabel":       desk.TopicLabel,
		"channelLabel":     desk.ChannelLabel,
		"callerLabel":      desk.CallerTypeLabel,
		"ratingLabel":      desk.RatingLabel,
		"kindLabel":        desk.KindLabel,
		"stateLabel":       desk.StateLabel,
		"platformLabel":    desk.PlatformLabel,
		"postKindLabel":    desk.PostKindLabel,
		"outreachLabel":    desk.OutreachKindLabel,
		"outcomeLabel":     desk.OutcomeLabel,
		"surveyStateLabel": desk.SurveyStateLabel,
		"qkindLabel":       desk.QuestionKindLabel,
		"groupLabel":       desk.PageGroupLabel,
		"importStateLabel": desk.ImportStateLabel,
		"importKindLabel": func(k string) string {
			if kk, ok := desk.KindByKey(k); ok {
				return kk.Label
			}
			return k
		},
		"id": func(n int64) string { return fmt.Sprint(n) },
		"chosen": func(v url.Values, name string, id int64) bool {
			for _, x := range v[name] {
				if x == fmt.Sprint(id) {
					return true
				}
			}
			return false
		},
		"deskField": func(p *Page, name, label, hint string) deskFieldArgs {
			return deskFieldArgs{P: p, Name: name, Label: label, Hint: hint}
		},
		"pages": func(n int) []int {
			out := make([]int, n)
			for i := range out {
				out[i] = i + 1
			}
			return out
		},
	} {
		funcs[k] = v
	}
}

// deskFieldArgs feeds the desk's field partials.
type deskFieldArgs struct {
	P                 *Page
	Name, Label, Hint string
}
