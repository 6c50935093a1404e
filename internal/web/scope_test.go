package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/northstar-cx/northstar/internal/auth"
	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/store"
)

// TestPartnerSeesOnlyItsOwn opens the pages as a principal bound to one
// outsourcing partner: no other partner's name, contact or customer may
// appear, and another partner's contact is "not found".
func TestPartnerSeesOnlyItsOwn(t *testing.T) {
	w := demoWorld(t)
	h := w.handler()
	facets, err := w.st.Facets(t.Context(), cx.Scope{})
	if err != nil || len(facets.Partners) < 2 {
		t.Fatalf("the world needs two partners: %v, %v", facets, err)
	}
	mine, other := facets.Partners[0], facets.Partners[1]
	theirs, err := w.st.ListInteractions(t.Context(), cx.Scope{Partner: other}, store.ListFilter{}, 0, 1)
	if err != nil || len(theirs.Items) == 0 {
		t.Fatalf("no contact of %s: %v", other, err)
	}
	as := func(path string) (int, string) {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		r = r.WithContext(auth.WithPrincipal(r.Context(), &auth.Principal{ID: "user:p", Name: "p", Role: auth.RolePartnerManager, Partner: mine}))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return rec.Code, rec.Body.String()
	}
	for _, path := range []string{"/", "/interactions", "/interactions?partner=" + url.QueryEscape(other), "/quality", "/intents", "/value"} {
		code, body := as(path)
		if code != http.StatusOK {
			t.Errorf("%s: status %d", path, code)
		}
		// The filter value echoes in the "filters in force" list; nothing else may name the other partner.
		body = strings.ReplaceAll(body, "partner: "+other, "")
		body = strings.ReplaceAll(body, "partner="+url.QueryEscape(other), "")
		if strings.Contains(body, other) {
			i := strings.Index(body, other)
			t.Errorf("%s shows %s to %s: …%s…", path, other, mine, body[max(0, i-200):min(len(body), i+100)])
		}
		if !strings.Contains(body, "Partner: "+mine) {
			t.Errorf("%s does not say the view is scoped to %s", path, mine)
		}
	}
	if code, _ := as("/interactions/" + theirs.Items[0].Key.Source + "/" + theirs.Items[0].Key.ID); code != http.StatusNotFound {
		t.Errorf("%s's contact opened for %s: status %d", other, mine, code)
	}
	if code, _ := as("/customers/" + itoa(theirs.Items[0].Customer)); code != http.StatusNotFound {
		// Customers served by both partners are visible to both; pick one
		// served only by the other to assert on.
		only, err := w.st.ListInteractions(t.Context(), cx.Scope{Partner: mine}, store.ListFilter{Customer: theirs.Items[0].Customer}, 0, 1)
		if err != nil || only.Total == 0 {
			t.Errorf("%s's customer opened for %s: status %d", other, mine, code)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
