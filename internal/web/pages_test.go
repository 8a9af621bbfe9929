package web

import (
	"net/http"
	"testing"

	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// Every page number a URL can carry is bounded: the largest int64, a
// number past it, a negative one or words give a page, never a 500 (the
// offset (page − 1) × per page once overflowed).
func TestPageNumbersBounded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newDeskEnv(t, db)
		public := e.client()
		staff := e.client()
		staff.login("boss")
		agent := e.client()
		agent.login("agent")
		for _, page := range []string{"9223372036854775807", "9223372036854775808", "100001", "-9223372036854775808", "0", "x"} {
			for _, c := range []struct {
				who  *client
				path string
			}{
				{public, "/search?q=海关&page="},
				{public, "/search?q=x&page="},
				{public, "/column/guide?page="},
				{public, "/shuanggongshi?page="},
				{public, "/interact/consult?page="},
				{staff, "/admin/publish/items?page="},
				{agent, "/admin/desk/calls?page="},
				{agent, "/admin/desk/enquiries?page="},
				{agent, "/admin/desk/media?page="},
			} {
				if code, body := c.who.get(c.path + page); code != http.StatusOK {
					t.Errorf("%s%s: %d %.300s", c.path, page, code, body)
				}
			}
		}
	})
}
