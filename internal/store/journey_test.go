package store_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/identity"
	"github.com/northstar-cx/northstar/internal/ingest"
	"github.com/northstar-cx/northstar/internal/store"
	"github.com/northstar-cx/northstar/internal/store/storetest"
)

// TestJourneyEffort checks that effort adds what the customer's earlier
// contacts for the same intent cost — how many there were within the window
// and how many other channels they used — and that a late contact, imported
// afterwards, updates the contacts after it.
func TestJourneyEffort(t *testing.T) {
	terms := store.EffortTerms{Switch: 10, SwitchScale: 1, Repeat: 20, RepeatScale: 2}
	for _, eng := range storetest.Engines {
		t.Run(eng, func(t *testing.T) {
			s := mustOpen(t, eng, store.WithEffortTerms(terms))
			dir := t.TempDir()
			line := `{"type":"interaction","id":"%s","source":"s","customer":{"id":"C1"},"channel":"%s","handler":"human","started_at":"2025-09-%sZ","intent":"%s","turns":[]}` + "\n"
			write := func(name, data string) string {
				f := filepath.Join(dir, name)
				os.WriteFile(f, []byte(data), 0o644)
				return f
			}
			first := write("a.ndjson", fmt.Sprintf(line, "i1", "chat", "01T10:00:00", "billing")+
				fmt.Sprintf(line, "i2", "email", "03T10:00:00", "billing")+
				fmt.Sprintf(line, "i3", "voice", "04T10:00:00", "billing")+
				fmt.Sprintf(line, "i4", "chat", "04T11:00:00", "delivery")+
				fmt.Sprintf(line, "i5", "chat", "20T10:00:00", "billing")+ // 16 days after i3: a new journey
				fmt.Sprintf(line, "i6", "chat", "04T12:00:00", "unknown"))
			late := write("b.ndjson", fmt.Sprintf(line, "i0", "chat", "02T10:00:00", "billing"))
			imp := func(f string) {
				_, err := ingest.Import(context.Background(), s, []ingest.Source{ingest.FileSource(f)}, ingest.Options{
					Normalizer: identity.Normalizer{Region: "GB"},
					Analyze:    func(in *cx.Interaction) { in.Analysis = &cx.Analysis{Effort: 5} }, // every contact's own effort
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			check := func(want map[string][2]int) {
				t.Helper()
				rows, err := s.DB().Query(`SELECT ext_id, prior_contacts, channel_switches, effort, contact_effort FROM interactions`)
				if err != nil {
					t.Fatal(err)
				}
				defer rows.Close()
				n := 0
				for rows.Next() {
					var id string
					var priorN, swN *int
					var effort, own float64
					if err := rows.Scan(&id, &priorN, &swN, &effort, &own); err != nil {
						t.Fatal(err)
					}
					n++
					w := want[id]
					// A contact without a known intent has no journey: no counts, its own effort.
					if (priorN == nil) != (id == "i6") || (swN == nil) != (id == "i6") {
						t.Errorf("%s: prior %v, switches %v", id, priorN, swN)
						continue
					}
					prior, sw := 0, 0
					if priorN != nil {
						prior, sw = *priorN, *swN
					}
					wantEffort := 5 + terms.Switch*(1-math.Exp(-float64(w[1])/terms.SwitchScale)) + terms.Repeat*(1-math.Exp(-float64(w[0])/terms.RepeatScale))
					if prior != w[0] || sw != w[1] || own != 5 || math.Abs(effort-wantEffort) > 1e-9 {
						t.Errorf("%s: prior %d, switches %d, effort %.4f (own %.1f); want %d, %d, %.4f", id, prior, sw, effort, own, w[0], w[1], wantEffort)
					}
				}
				if n != len(want) {
					t.Fatalf("%d interactions, want %d", n, len(want))
				}
			}
			imp(first)
			check(map[string][2]int{"i1": {0, 0}, "i2": {1, 1}, "i3": {2, 2}, "i4": {0, 0}, "i5": {0, 0}, "i6": {0, 0}})
			imp(late) // a chat contact between i1 and i2
			check(map[string][2]int{"i0": {1, 0}, "i1": {0, 0}, "i2": {2, 1}, "i3": {3, 2}, "i4": {0, 0}, "i5": {0, 0}, "i6": {0, 0}})
		})
	}
}
