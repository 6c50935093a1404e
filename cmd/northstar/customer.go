package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/northstar-cx/northstar/internal/api"
	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/identity"
)

func newCustomerCmd(g *globals) *cobra.Command {
	var offset, limit int
	cmd := &cobra.Command{
		Use:   "customer [flags] REF",
		Short: "Show one customer: profile, identities, merges, value and timeline",
		Long: `Show one customer, found by any identity they used. REF is the brand's customer id or
KIND:VALUE with KIND one of email, phone, handle, account. Identities are normalised the way
imports are, so "phone:07700 900123" finds "+447700900123".`,
		Example: `  northstar customer C1001
  northstar customer email:ana@example.com
  northstar customer --json phone:+447700900123 --limit 500`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := g.config()
			if err != nil {
				return err
			}
			var view api.CustomerView
			if c.Server != "" {
				q := url.Values{"offset": {fmt.Sprint(offset)}, "limit": {fmt.Sprint(limit)}}
				ref := url.PathEscape(args[0])
				if _, err := newClient(c).do(cmd.Context(), http.MethodGet, "/v1/customers/"+ref, nil, &view); err != nil {
					return err
				}
				if _, err := newClient(c).do(cmd.Context(), http.MethodGet, "/v1/customers/"+ref+"/timeline?"+q.Encode(), nil, &view.Timeline); err != nil {
					return err
				}
			} else {
				st, err := g.openStore(cmd.Context(), c)
				if err != nil {
					return err
				}
				defer st.Close()
				ref, err := identity.Normalizer{Region: c.Region}.ParseRef(args[0])
				if err != nil {
					return err
				}
				id, err := st.CustomerID(cmd.Context(), ref)
				if err != nil {
					return err
				}
				if view.Customer, err = st.Customer(cmd.Context(), cx.Scope{}, id); err != nil {
					return err
				}
				if view.Timeline, err = st.Timeline(cmd.Context(), cx.Scope{}, id, offset, limit); err != nil {
					return err
				}
			}
			if g.jsonOut {
				return writeJSON(g, view)
			}
			printCustomer(g, &view)
			return nil
		},
	}
	cmd.Flags().IntVar(&offset, "offset", 0, "timeline items to skip")
	cmd.Flags().IntVar(&limit, "limit", 50, "timeline items to show (at most 1000)")
	return cmd
}

func writeJSON(g *globals, v any) error {
	enc := json.NewEncoder(g.e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func money(m cx.Money, cur string) string {
	sym := map[string]string{"GBP": "£", "EUR": "€", "USD": "$"}[cur]
	if sym == "" && cur != "" {
		sym = cur + " "
	}
	sign := ""
	if m < 0 {
		sign, m = "-", -m
	}
	return fmt.Sprintf("%s%s%s.%02d", sign, sym, num(int(m/100)), int(m%100))
}

func printCustomer(g *globals, v *api.CustomerView) {
	out := g.e.stdout
	c := v.Customer
	name := c.Name
	if name == "" {
		name = "(no profile yet)"
	}
	fmt.Fprintf(out, "Customer %d  %s", c.ID, name)
	if c.ExternalID != "" {
		fmt.Fprintf(out, "  [%s]", c.ExternalID)
	}
	fmt.Fprintln(out)
	var facts []string
	if c.Segment != "" {
		facts = append(facts, "segment "+c.Segment)
	}
	if c.Region != "" {
		facts = append(facts, "region "+c.Region)
	}
	if c.SignupAt != nil {
		facts = append(facts, "signed up "+c.SignupAt.Format("2 Jan 2006"))
	}
	if len(facts) > 0 {
		fmt.Fprintln(out, "  "+strings.Join(facts, " · "))
	}
	val := c.Value
	fmt.Fprintf(out, "  status %s · %d orders · revenue %s · refunds %s · tenure %d days\n",
		val.Status, val.Orders, money(val.Revenue, val.Currency), money(val.Refunds, val.Currency), val.TenureDays)
	fmt.Fprintln(out, "Identities:")
	for _, id := range c.Identities {
		fmt.Fprintf(out, "  %-8s %s\n", id.Kind, id.Value)
	}
	if len(c.Merges) > 0 {
		fmt.Fprintln(out, "Merges:")
		for _, m := range c.Merges {
			fmt.Fprintf(out, "  %s  customer %d merged into %d, linked by %s in %s\n", m.At.Format("2006-01-02 15:04"), m.Merged, m.Survivor, m.Identity, m.Record)
		}
	}
	tl := v.Timeline
	fmt.Fprintf(out, "Timeline (%d–%d of %d):\n", min(tl.Offset+1, tl.Total), tl.Offset+len(tl.Items), tl.Total)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	for _, it := range tl.Items {
		detail := it.Name
		switch it.Kind {
		case "interaction":
			detail = strings.TrimSpace(fmt.Sprintf("%s %s %s", it.Channel, it.Handler, it.Name))
			if it.Sentiment != nil {
				detail += fmt.Sprintf(" · sentiment %+.2f", *it.Sentiment)
			}
			if it.Resolved != nil {
				detail += map[bool]string{true: " · resolved", false: " · unresolved"}[*it.Resolved]
			}
			if it.Flags != "" {
				detail += " · " + strings.Trim(it.Flags, ",")
			}
		case "survey":
			if it.CSAT != nil {
				detail += fmt.Sprintf("CSAT %d ", *it.CSAT)
			}
			if it.NPS != nil {
				detail += fmt.Sprintf("NPS %d", *it.NPS)
			}
		case "event":
			if it.Value != nil {
				detail += " " + money(*it.Value, c.Value.Currency)
			}
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", it.At.Format("2006-01-02 15:04"), it.Kind, it.Ref, detail)
	}
	tw.Flush()
}
