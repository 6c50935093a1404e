package demo

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"os"
)

// writeTrain writes intents-train.csv: text,intent examples for the brand's intent model. They come
// from the same paraphrase generator as the interactions (templates, slot fillers, politeness, anger,
// typos, casing) but from their own random stream; the set is kept so that no interaction opens with
// a sentence that is also a training example.
func (w *world) writeTrain(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	cw := csv.NewWriter(bw)
	if err := cw.Write([]string{"text", "intent"}); err != nil {
		return fmt.Errorf("demo: write %s: %w", path, err)
	}
	w.train = make(map[string]struct{}, numIntents*trainPerIntent)
	var c customer
	c.arena = make([]byte, 0, 256)
	chans := []int{chChat, chMessaging, chSocial, chWeb, chSMS}
	for intent := range numIntents {
		got := 0
		for attempt := 0; got < trainPerIntent && attempt < trainPerIntent*20; attempt++ {
			w.rng.seed(uint64(w.cfg.Seed)^0x7a1e, mix64(uint64(intent)<<32|uint64(attempt)))
			w.newCustomer(&c, w.cfg.Customers+attempt)
			g := w.rng
			k := contactRec{intent: uint8(intent), agent: -1, item: int8(g.intn(len(w.items))), param: -1,
				at: w.sched.start + g.between(0, int64(w.cfg.Days)*day-1), channel: uint8(chans[g.intn(len(chans))])}
			switch e := g.float(); {
			case e < 0.15:
				k.emotion = 2
			case e < 0.4:
				k.emotion = 1
			}
			if g.chance(0.1) {
				k.chase = 1
			}
			w.setSlots(&c, &k)
			r := &w.r
			r.tb, r.turns, r.pii, r.piiDone, r.piiText = r.tb[:0], r.turns[:0], r.pii[:0], 0, r.piiText[:0]
			w.customerOpener(&c, &k, 0, "", false)
			text := string(r.tb[r.turns[0].off:r.turns[0].end])
			if _, dup := w.train[text]; dup {
				continue
			}
			w.train[text] = struct{}{}
			if err := cw.Write([]string{text, w.intents[intent].ID}); err != nil {
				return fmt.Errorf("demo: write %s: %w", path, err)
			}
			got++
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("demo: write %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("demo: write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("demo: close %s: %w", path, err)
	}
	return nil
}
