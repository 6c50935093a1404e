package metrics

import (
	"strings"
	"testing"
	"time"
)

// A definition naming a column its rows do not have is a registry bug the
// builder reports instead of writing it into SQL.
func TestBuilderRejectsUnknownColumns(t *testing.T) {
	bad := Metric{ID: "bad", Kind: Proportion, Over: Responses, Base: Pred{Op: NotNull, Col: "body"}, Hit: Pred{Op: All}}
	b := &builder{zone: "UTC"}
	from := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	_, _, err := b.statement(Responses, Query{Metrics: []string{"bad"}, Zone: time.UTC}, []Metric{bad}, []int{0}, from, from.AddDate(0, 1, 0))
	if err == nil || !strings.Contains(err.Error(), `column "body"`) {
		t.Errorf("error %v", err)
	}
}

// Values reach SQL only as parameters: a hostile filter value or scope
// appears in the arguments, never in the statement.
func TestBuilderBindsValues(t *testing.T) {
	evil := "x'); DROP TABLE interactions; --"
	m, _ := Lookup("csat")
	b := &builder{zone: "UTC"}
	q := Query{Metrics: []string{"csat"}, By: []string{"flag:anger"}, Where: []Filter{{Dim: "intent", Values: []string{evil}}}, Zone: time.UTC}
	q.Scope.Partner = evil
	from := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	stmt, _, err := b.statement(Responses, q, []Metric{m}, []int{0}, from, from.AddDate(0, 1, 0))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stmt, "DROP") {
		t.Errorf("value in statement:\n%s", stmt)
	}
	n := 0
	for _, a := range b.args {
		if a == evil {
			n++
		}
	}
	if n != 2 {
		t.Errorf("args %v", b.args)
	}
}
