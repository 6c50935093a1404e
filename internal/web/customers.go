package web

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/northstar-cx/northstar/internal/auth"
	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/store"
)

var phoneLike = regexp.MustCompile(`^\+?[0-9 ().-]{7,}$`)

// refCandidates turns what a person typed into identity references to try,
// most likely first: "ana@example.com" is an email, "@ana" a handle,
// "07700 900123" a phone (or an id made of digits), anything else an id or
// account number. "kind:value" is taken as given.
func refCandidates(q string) []string {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil
	}
	if k, _, ok := strings.Cut(q, ":"); ok {
		switch cx.IdentityKind(k) {
		case cx.IdentityID, cx.IdentityEmail, cx.IdentityPhone, cx.IdentityHandle, cx.IdentityAccount:
			return []string{q}
		}
	}
	switch {
	case strings.HasPrefix(q, "@"):
		return []string{"handle:" + q}
	case strings.Contains(q, "@"):
		return []string{"email:" + q}
	case phoneLike.MatchString(q):
		return []string{"phone:" + q, "id:" + q, "account:" + q}
	}
	return []string{"id:" + q, "account:" + q, "handle:@" + q}
}

type customersData struct {
	Q     string
	Tried []string
}

// customers is the search page; a query that finds one customer redirects
// to their page.
func (h *Handler) customers(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	p := &page{Title: "Customers", Nav: "customers"}
	d := &customersData{Q: q}
	if q != "" {
		scope := auth.ScopeOf(r.Context())
		for _, c := range refCandidates(q) {
			ref, err := h.Normalizer.ParseRef(c)
			if err != nil {
				continue
			}
			d.Tried = append(d.Tried, ref.String())
			id, err := h.Store.CustomerID(r.Context(), ref)
			if cx.ErrorCode(err) == cx.ENOTFOUND {
				continue
			}
			if err != nil {
				h.fail(w, r, err)
				return
			}
			// A customer another partner served is, to this scope, no customer.
			if _, err := h.Store.Customer(r.Context(), scope, id); cx.ErrorCode(err) == cx.ENOTFOUND {
				continue
			} else if err != nil {
				h.fail(w, r, err)
				return
			}
			http.Redirect(w, r, "/customers/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
			return
		}
		w.WriteHeader(http.StatusNotFound)
	}
	p.Data = d
	h.render(w, r, "customers", p)
}

type customerData struct {
	C          *cx.Customer
	Timeline   *store.Timeline
	Sentiment  *LineChart
	Contacts   int
	Unresolved int
	PrevPage   string
	NextPage   string
	AllLink    string
}

const timelinePage = 100

func (h *Handler) customer(w http.ResponseWriter, r *http.Request) {
	// A number is Northstar's own customer number (what links carry);
	// anything else is an identity reference such as C1001 or
	// email:ana@example.com.
	scope := auth.ScopeOf(r.Context())
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		ref, perr := h.Normalizer.ParseRef(r.PathValue("id"))
		if perr != nil {
			h.fail(w, r, perr)
			return
		}
		if id, err = h.Store.CustomerID(r.Context(), ref); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	c, err := h.Store.Customer(r.Context(), scope, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if c.Merges == nil {
		c.Merges = []cx.Merge{}
	}
	offset := 0
	if s := r.URL.Query().Get("offset"); s != "" {
		if offset, err = strconv.Atoi(s); err != nil || offset < 0 {
			h.fail(w, r, cx.Errorf(cx.EINVALID, "offset: want a whole number ≥ 0, got %q", s))
			return
		}
	}
	tl, err := h.Store.Timeline(r.Context(), scope, id, offset, timelinePage)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := &customerData{C: c, Timeline: tl, AllLink: link("/interactions", "customer", strconv.FormatInt(id, 10))}
	s := Series{Name: "sentiment"}
	for _, it := range tl.Items {
		if it.Kind != "interaction" {
			continue
		}
		d.Contacts++
		if it.Resolved != nil && !*it.Resolved {
			d.Unresolved++
		}
		if it.Sentiment != nil {
			src, ext, _ := strings.Cut(it.Ref, "/")
			s.Points = append(s.Points, Point{X: it.At.Format("2 Jan"), Y: it.Sentiment, N: 1, Href: interactionHref(cx.Key{Source: src, ID: ext})})
		}
	}
	if len(s.Points) > 1 {
		d.Sentiment = &LineChart{ID: "cust-sent", Title: "Sentiment of each contact", Desc: "Mean customer sentiment per contact, −1 to 1, in time order; each point opens the contact",
			Unit: "sentiment −1…1", Series: []Series{s}, YMin: -1, YMax: 1}
	}
	if offset > 0 {
		d.PrevPage = link(r.URL.Path, "offset", strconv.Itoa(max(0, offset-timelinePage)))
	}
	if offset+timelinePage < tl.Total {
		d.NextPage = link(r.URL.Path, "offset", strconv.Itoa(offset+timelinePage))
	}
	title := c.Name
	if title == "" {
		title = c.ExternalID
	}
	if title == "" {
		title = "Customer " + strconv.FormatInt(id, 10)
	}
	h.render(w, r, "customer", &page{Title: title, Nav: "customers", Data: d})
}

// refHref links a timeline ref to its page.
func refHref(kind, ref string) string {
	if kind != "interaction" {
		return ""
	}
	src, ext, _ := strings.Cut(ref, "/")
	return interactionHref(cx.Key{Source: src, ID: ext})
}

func init() { funcs["refhref"] = refHref }

func init() {
	funcs["netValue"] = func(v cx.Value) float64 { return float64(v.Revenue - v.Refunds) }
	funcs["flagList"] = func(s string) []string {
		var out []string
		for _, k := range strings.Split(s, ",") {
			if k != "" {
				out = append(out, k)
			}
		}
		return out
	}
}
