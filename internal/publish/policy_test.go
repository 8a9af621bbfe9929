package publish

import (
	"testing"

	"gongkai/internal/org"
)

// publish.Authorize and the declared access policy (org.Policy) name the
// same roles for each step: the policy's table is what the menus and the
// route guard use, Authorize what the store applies to each item.
func TestAuthorizeAgreesWithThePolicy(t *testing.T) {
	actions := map[EventKind][]org.Action{
		EvCreate: {org.ActPublishDraft}, EvEdit: {org.ActPublishDraft}, EvRevise: {org.ActPublishDraft}, EvSubmit: {org.ActPublishDraft},
		EvApprove: {org.ActPublishReview}, EvReturn: {org.ActPublishReview}, EvUnschedule: {org.ActPublishReview}, EvWithdraw: {org.ActPublishReview},
		EvLegalApprove: {org.ActPublishLegal}, EvLegalReturn: {org.ActPublishLegal},
		EvPublish:  {org.ActPublishDraft, org.ActPublishReview},
		EvValidity: {org.ActPublishDraft, org.ActPublishLegal},
	}
	for k, as := range actions {
		for _, r := range org.Roles {
			want := false
			for _, a := range as {
				want = want || org.Allows([]org.Role{r}, a)
			}
			err := Authorize(Item{}, k, Actor{Roles: []org.Role{r}}, ScopeUnit)
			if (err == nil) != want {
				t.Errorf("%s by %s: Authorize %v, policy says %v", k, r, err, want)
			}
		}
	}
}
