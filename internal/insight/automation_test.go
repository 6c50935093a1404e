package insight_test

import (
	"context"
	"strings"
	"testing"

	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/demo"
	"github.com/northstar-cx/northstar/internal/insight"
	"github.com/northstar-cx/northstar/internal/metrics"
)

// TestAutomationFindsTheDemoVerdicts checks that automation fit, computed
// from what analysis made of the raw contacts (intents from the trained
// model, outcomes, cues), gives every intent truth.json names the verdict
// the world was built to support.
func TestAutomationFindsTheDemoVerdicts(t *testing.T) {
	w := demoWorld(t)
	svc := insight.NewService(w.st.DB(), metrics.NewSQL(w.st))
	fits, p, err := svc.Automation(context.Background(), insight.Period{}, cx.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if !p.From.Equal(w.truth.Start) || p.To.Sub(w.truth.End) > 0 {
		t.Errorf("default period %s, want the demo window %s – %s", p, w.truth.Start, w.truth.End)
	}
	byIntent := map[string]insight.IntentFit{}
	for _, f := range fits {
		byIntent[f.Intent] = f
		if len(f.Reasons) == 0 {
			t.Errorf("%s: %s without reasons", f.Intent, f.Recommendation)
		}
	}
	want := map[string][]demo.AutomationCall{
		insight.AutomateMore: w.truth.Automation.AutomateMore,
		insight.KeepHuman:    w.truth.Automation.KeepHuman,
		insight.FixBot:       w.truth.Automation.FixBot,
	}
	for verdict, calls := range want {
		if len(calls) == 0 {
			t.Errorf("truth.json names no %s intent", verdict)
		}
		for _, c := range calls {
			f, ok := byIntent[c.Intent]
			if !ok {
				t.Errorf("%s: not in the automation fit (truth: %s)", c.Intent, verdict)
				continue
			}
			if f.Recommendation != verdict {
				t.Errorf("%s: %s, want %s (truth: %s)\n  evidence: bot share %.2f, containment %.2f (halves %.2f → %.2f), CSAT bot %.2f vs human %.2f\n  reasons: %s",
					c.Intent, f.Recommendation, verdict, c.Reason, f.BotShare.V(), f.Containment.V(), f.ContainmentEarly.V(),
					f.ContainmentLate.V(), f.CSATBot.V(), f.CSATHuman.V(), strings.Join(f.Reasons, " "))
			}
		}
	}
	// Reasons quote the numbers they rest on.
	if f := byIntent["skip_week"]; !strings.Contains(strings.Join(f.Reasons, " "), "%") {
		t.Errorf("skip_week reasons quote no figures: %q", f.Reasons)
	}
	for _, f := range fits {
		if f.Intent == "unknown" || f.Intent == metrics.None {
			t.Errorf("intent %q is listed: contacts without a known intent cannot be routed", f.Intent)
		}
	}
}

// TestAutomationScope checks a partner-scoped principal sees automation fit
// computed on that partner's contacts only.
func TestAutomationScope(t *testing.T) {
	w := demoWorld(t)
	svc := insight.NewService(w.st.DB(), metrics.NewSQL(w.st))
	fits, _, err := svc.Automation(context.Background(), insight.Period{}, cx.Scope{Partner: "Northwind BPO"})
	if err != nil {
		t.Fatal(err)
	}
	if len(fits) == 0 {
		t.Fatal("no intents for the Northwind BPO scope")
	}
	var all int64
	for _, f := range fits {
		all += f.Contacts
	}
	full, _, err := svc.Automation(context.Background(), insight.Period{}, cx.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, f := range full {
		total += f.Contacts
	}
	if all <= 0 || all >= total {
		t.Errorf("scoped contacts %d, want some but fewer than all %d", all, total)
	}
	for _, f := range fits {
		if f.Recommendation != insight.NotEnoughData {
			t.Errorf("%s: %s under a partner scope, where the bot cannot be judged", f.Intent, f.Recommendation)
		}
	}
}
