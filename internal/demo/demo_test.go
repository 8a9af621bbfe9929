package demo

import (
	"reflect"
	"testing"

	"gongkai/internal/org"
)

func TestGenerateIsDeterministic(t *testing.T) {
	a, b := Generate(7), Generate(7)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed gave two worlds")
	}
	if reflect.DeepEqual(a.Users, Generate(8).Users) {
		t.Fatal("different seeds gave the same staff")
	}
}

func TestOneAccountPerRole(t *testing.T) {
	w := Generate(1)
	has := map[org.Role]bool{}
	names := map[string]bool{}
	for _, u := range w.Users {
		if names[u.Name] {
			t.Errorf("two demo users named %s", u.Name)
		}
		names[u.Name] = true
		if u.Unit == SiteUnit {
			for _, r := range u.Roles {
				has[r] = true
			}
		}
	}
	for _, r := range org.Roles {
		if !has[r] {
			t.Errorf("no demo account for role %s at %s", r, SiteUnit)
		}
	}
}
