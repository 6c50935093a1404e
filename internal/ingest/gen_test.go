package ingest

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Phrases for generated turns: realistic length and vocabulary, so decode
// and store costs are those of real contacts (about 10 turns, 150 words).
var (
	customerSays = []string{
		"Hi, my delivery was supposed to arrive yesterday and it still has not turned up at all.",
		"I have been charged twice for the same order and I would like a refund please.",
		"The box arrived but two of the items were missing and one was damaged in transit.",
		"Can you tell me when the courier will come? I need to be home to sign for it.",
		"That is really frustrating, this is the third time this has happened to me.",
		"Okay thanks, that sounds fine. Will I get an email to confirm the change?",
	}
	agentSays = []string{
		"Thanks for getting in touch, I am sorry to hear that. Let me look into it for you.",
		"I can see the order here. It looks like the courier missed the delivery slot.",
		"I have arranged a replacement and it will be with you tomorrow before noon.",
		"I have issued a refund of the duplicate charge; it takes three to five working days.",
		"Is there anything else I can help you with today?",
	}
	channels = []string{"chat", "voice", "email", "messaging", "social", "sms", "web"}
)

// interactionLine returns generated interaction number i as one NDJSON line
// of `turns` turns (about 1.3 KB at 10), without the newline.
func interactionLine(i, turns int) string {
	start := time.Date(2025, 9, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(i) * 37 * time.Second)
	handler := "human"
	if i%3 == 0 {
		handler = "bot"
	}
	b := make([]byte, 0, 1600)
	b = fmt.Appendf(b, `{"type":"interaction","id":"I%07d","source":"gen","customer":{"email":"customer%d@example.com"},`+
		`"channel":%q,"journey_stage":"fulfilment","queue":"deliveries","handler":%q,"agent":{"id":"A%d","team":"deliveries"},`+
		`"started_at":%q,"ended_at":%q,"wait_seconds":%d,"handle_seconds":%d,"resolved":%t,"cost":"%d.%02d","currency":"GBP","turns":[`,
		i, i%5000, channels[i%len(channels)], handler, i%40, start.Format(time.RFC3339), start.Add(6*time.Minute).Format(time.RFC3339),
		i%120, 200+i%400, i%4 != 0, 2+i%7, i%100)
	for t := range turns {
		if t > 0 {
			b = append(b, ',')
		}
		if t%2 == 0 {
			b = fmt.Appendf(b, `{"speaker":"customer","text":%q}`, customerSays[(i+t)%len(customerSays)])
		} else {
			b = fmt.Appendf(b, `{"speaker":"agent","text":%q}`, agentSays[(i+t)%len(agentSays)])
		}
	}
	b = fmt.Appendf(b, `],"survey":{"csat":%d},"tags":["delivery"]}`, 1+i%5)
	return string(b)
}

// writeInteractions writes n generated interactions of 10 turns to w.
func writeInteractions(w io.Writer, n int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	for i := range n {
		if _, err := bw.WriteString(interactionLine(i, 10) + "\n"); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// generatedFile writes n generated interactions to a temporary NDJSON file.
func generatedFile(tb testing.TB, n int) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "generated.ndjson")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	if err := writeInteractions(f, n); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}
