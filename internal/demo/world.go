package demo

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// Progress reports generation progress; it is called every few thousand customers and at the end.
type Progress func(customersDone, customersTotal int)

// Output names inside the directory given to Write.
const (
	WorldDir           = "world"
	CustomersFile      = "customers.ndjson"
	EventsFile         = "events.ndjson"
	InteractionsFile   = "interactions.ndjson"
	SurveysFile        = "surveys.ndjson"
	TruthFile          = "truth.json"
	TruthIntentsFile   = "truth-intents.csv"
	TruthContactsFile  = "truth-contacts.csv"
	TruthIdentityFile  = "truth-identities.csv"
	TruthPIIFile       = "truth-pii.csv"
	IntentsTrainFile   = "intents-train.csv"
	brandName          = "Hearth & Harvest"
	botName            = "Hearthbot"
	generatorVersion   = "northstar-demo/1"
	bufferSize         = 1 << 20
	progressEvery      = 2000
	cancelCheckEvery   = 256
	maxListedLinks     = 20000
	trainPerIntent     = 60
	openerRerollLimit  = 8
	helpdeskResolvedP  = 0.70
	webFormIntentShare = 0.30
)

// WorldFiles lists the import files in import order, relative to the Write directory.
func WorldFiles() []string {
	return []string{
		filepath.Join(WorldDir, CustomersFile), filepath.Join(WorldDir, EventsFile),
		filepath.Join(WorldDir, InteractionsFile), filepath.Join(WorldDir, SurveysFile),
	}
}

// effects are the causal parameters of the world: how experience moves contacts, churn and spend.
type effects struct {
	backgroundRate      float64
	churnPerFrustration float64
	skipPerFrustration  float64
	frustrationDecay    float64
	churnNewCustomer    float64
	unresolved          float64
	abandoned           float64
	repeat              float64
	transfer            float64
	longWait            float64
	botLoops            float64
	botEmotional        float64
	prohibited          float64
	resolvedRelief      float64
	empathyRelief       float64
	partnerSkillSlide   float64
}

func defaultEffects() effects {
	return effects{
		backgroundRate:      0.36,
		churnPerFrustration: 0.85,
		skipPerFrustration:  0.60,
		frustrationDecay:    0.85,
		churnNewCustomer:    0.70,
		unresolved:          1.00,
		abandoned:           0.40,
		repeat:              0.40,
		transfer:            0.25,
		longWait:            0.30,
		botLoops:            0.20,
		botEmotional:        0.30,
		prohibited:          0.80,
		resolvedRelief:      0.10,
		empathyRelief:       0.30,
		partnerSkillSlide:   0.22,
	}
}

// output is one buffered file.
type output struct {
	f *os.File
	w *bufio.Writer
}

// world is everything one Write shares across customers. It is used by one goroutine.
type world struct {
	cfg   Config
	sched schedule
	fx    effects

	intents  []IntentSpec
	degraded [numIntents]bool
	pb       *phrasebook

	segs          []segmentSpec
	segWeights    weights
	regs          []regionSpec
	regionWeights weights
	plans         []planSpec
	dayWeights    weights
	vulnWeights   weights

	firsts, lasts, domains, items, recipes, diets, allergens, codes, weekdays []string
	channels, teams, events, reasons, vulnKinds, piiNames                     []string

	agents       []agent
	byTeam       [numTeams][numPartners][]int
	partners     []partnerSpec
	partnerShare [numTeams]weights

	intentChannel    [numIntents][numChannels]float64
	bereavementTopic [numIntents]bool
	bgWeights        [numIntents]float64
	bgScratch        [numIntents]float64
	cancelledMix     []int
	handleFactor     [numChannels]float64
	costBot          [numChannels]int32
	costHuman        [numChannels]int32
	costAbandon      [numChannels]int32

	rng  *rng
	cust customer

	customers, eventsOut, interactions, surveys      *output
	truthIntents, truthContacts, truthIdentity, tPII *output

	nextEvent, nextInteraction, nextSurvey int64

	train map[string]struct{}
	r     renderer
	acc   *truthAcc
}

func newWorld(cfg Config) (*world, error) {
	pb, err := newPhrasebook()
	if err != nil {
		return nil, err
	}
	start := cfg.End.Unix() - int64(cfg.Days)*day
	w := &world{
		cfg:       cfg,
		sched:     newSchedule(start, cfg.Days),
		fx:        defaultEffects(),
		intents:   Intents(),
		pb:        pb,
		segs:      segments(),
		regs:      regions(),
		plans:     plans(),
		firsts:    firstNames(),
		lasts:     lastNames(),
		domains:   emailDomains(),
		items:     items(),
		recipes:   recipes(),
		diets:     diets(),
		allergens: allergens(),
		codes:     promoCodes(),
		weekdays:  weekdayNames(),
		channels:  channelNames(),
		teams:     teamNames(),
		events:    eventNames(),
		reasons:   cancelReasons(),
		vulnKinds: vulnNames(),
		piiNames:  piiKinds(),
		partners:  partners(),
		rng:       newRNG(uint64(cfg.Seed), 0),
	}
	if len(w.intents) != numIntents {
		return nil, fmt.Errorf("demo: taxonomy has %d intents, want %d", len(w.intents), numIntents)
	}
	for _, i := range degradedIntents() {
		w.degraded[i] = true
	}
	for _, i := range []int{iCancelSubscription, iPauseSubscription, iSkipWeek, iRefundRequest, iBillingQuery,
		iPaymentFailed, iChangeAddress, iDeleteAccount, iChangePlan, iUpdatePaymentMethod, iAccountLogin} {
		w.bereavementTopic[i] = true
	}
	var sw, rw []float64
	for _, s := range w.segs {
		sw = append(sw, s.share)
	}
	for _, r := range w.regs {
		rw = append(rw, r.share)
	}
	w.segWeights, w.regionWeights = newWeights(sw...), newWeights(rw...)
	w.dayWeights = newWeights(0.12, 0.18, 0.20, 0.20, 0.16, 0.14) // Monday … Saturday
	w.vulnWeights = newWeights(0.2, 0.3, 0.3, 0.2)                // bereavement, illness, money, accessibility
	w.agents, w.byTeam = newRoster(cfg.Seed)
	for t, share := range teamPartnerShare() {
		w.partnerShare[t] = newWeights(share[:]...)
	}
	for i := range w.intentChannel {
		for ch := range w.intentChannel[i] {
			w.intentChannel[i][ch] = 1
		}
		m := &w.intentChannel[i]
		switch i {
		case iWhereIsMyBox, iPaymentFailed, iAccountLogin, iAllergenInfo:
			m[chVoice], m[chChat], m[chEmail], m[chSocial] = 1.4, 1.2, 0.4, 0.7
		case iQualityComplaint, iCourierComplaint, iPriceIncrease, iDamagedItem:
			m[chSocial], m[chEmail] = 2.5, 1.5
		case iInvoiceRequest, iDeleteAccount, iMarketingUnsubscribe, iReferralCredit:
			m[chEmail], m[chVoice] = 2.2, 0.5
		case iCancelSubscription:
			m[chVoice], m[chEmail] = 1.6, 1.3
		}
	}
	w.bgWeights = [numIntents]float64{
		iWhereIsMyBox: 3, iQualityComplaint: 0.5, iCourierComplaint: 0.5, iDeliveryInstructions: 5,
		iChangeDeliveryDay: 3, iChangeAddress: 3, iSkipWeek: 4, iPauseSubscription: 1.5, iChangePlan: 1.5,
		iUpdatePaymentMethod: 4, iRefundRequest: 3, iBillingQuery: 6, iInvoiceRequest: 3.5, iPriceIncrease: 0.4,
		iPromoCode: 6, iGiftCard: 2, iReferralCredit: 3, iMarketingUnsubscribe: 2, iMenuSelection: 3,
		iDietaryRequirements: 4, iAllergenInfo: 3, iRecipeHelp: 5, iPackagingRecycling: 3, iAccountLogin: 5,
		iAppProblem: 4, iDeleteAccount: 0.6, iOther: 2.5,
	}
	w.cancelledMix = []int{iRefundRequest, iRefundRequest, iDeleteAccount, iMarketingUnsubscribe,
		iMarketingUnsubscribe, iBillingQuery, iAccountLogin, iOther}
	w.handleFactor = [numChannels]float64{chVoice: 1, chChat: 1.5, chEmail: 0.6, chSocial: 0.8, chMessaging: 1.3, chSMS: 0.6, chWeb: 1.5}
	w.costBot = [numChannels]int32{chChat: 40, chMessaging: 35, chWeb: 30}
	w.costHuman = [numChannels]int32{chVoice: 580, chChat: 320, chEmail: 410, chSocial: 350, chMessaging: 300, chSMS: 250, chWeb: 320}
	w.costAbandon = [numChannels]int32{chVoice: 60, chChat: 20, chMessaging: 20}
	w.acc = newTruthAcc(w)
	w.r.init()
	w.r.sv.resolve = w.resolveSlot
	return w, nil
}

// Write generates the world into dir: world/{customers,events,interactions,surveys}.ndjson in import
// order, truth.json and its CSV companions, and intents-train.csv. It streams one customer's whole life
// at a time, so memory stays flat however many customers are asked for.
func Write(ctx context.Context, dir string, cfg Config, p Progress) (*Truth, error) {
	cfg, err := cfg.normalised()
	if err != nil {
		return nil, err
	}
	w, err := newWorld(cfg)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(dir, WorldDir), 0o755); err != nil {
		return nil, fmt.Errorf("demo: create output directory: %w", err)
	}
	if err := w.writeTrain(filepath.Join(dir, IntentsTrainFile)); err != nil {
		return nil, err
	}
	outs := []struct {
		dst  **output
		path string
		head string
	}{
		{&w.customers, filepath.Join(dir, WorldDir, CustomersFile), ""},
		{&w.eventsOut, filepath.Join(dir, WorldDir, EventsFile), ""},
		{&w.interactions, filepath.Join(dir, WorldDir, InteractionsFile), ""},
		{&w.surveys, filepath.Join(dir, WorldDir, SurveysFile), ""},
		{&w.truthIntents, filepath.Join(dir, TruthIntentsFile), "id,intent\n"},
		{&w.truthContacts, filepath.Join(dir, TruthContactsFile), truthContactsHeader},
		{&w.truthIdentity, filepath.Join(dir, TruthIdentityFile), "customer,email,alt_kind,alt_value,alt_records,linking_record\n"},
		{&w.tPII, filepath.Join(dir, TruthPIIFile), "interaction,turn,kind,value\n"},
	}
	var opened []*output
	defer func() {
		for _, o := range opened {
			o.f.Close() // error already reported by finish on the success path
		}
	}()
	for _, o := range outs {
		f, err := os.Create(o.path)
		if err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		out := &output{f: f, w: bufio.NewWriterSize(f, bufferSize)}
		opened = append(opened, out)
		*o.dst = out
		out.w.WriteString(o.head)
	}

	if err := w.run(ctx, p); err != nil {
		return nil, err
	}
	for _, o := range opened {
		if err := o.w.Flush(); err != nil {
			return nil, fmt.Errorf("demo: write %s: %w", o.f.Name(), err)
		}
		if err := o.f.Close(); err != nil {
			return nil, fmt.Errorf("demo: close %s: %w", o.f.Name(), err)
		}
	}
	opened = nil

	truth := w.acc.finish()
	b, err := json.MarshalIndent(truth, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("demo: encode truth: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, TruthFile), append(b, '\n'), 0o644); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	return truth, nil
}

// run generates every customer in index order.
func (w *world) run(ctx context.Context, p Progress) error {
	total := w.cfg.Customers
	for i := range total {
		if i%cancelCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("demo: stopped after %d of %d customers: %w", i, total, err)
			}
		}
		if p != nil && i%progressEvery == 0 && i > 0 {
			p(i, total)
		}
		w.rng.seed(uint64(w.cfg.Seed), mix64(uint64(i)))
		c := &w.cust
		w.newCustomer(c, i)
		plan0, dw0 := c.plan, c.dw
		w.live(c)
		w.render(c, plan0, dw0)
	}
	if p != nil {
		p(total, total)
	}
	return nil
}

// write appends a finished line to an output; bufio keeps the first error for Flush to report.
func (o *output) write(b []byte) { o.w.Write(b) }
