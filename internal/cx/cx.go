package cx

import (
	"encoding/json"
	"time"
)

// Channel is where a contact happened.
type Channel string

// The channels Northstar knows; anything else is rejected at import.
const (
	Voice     Channel = "voice"
	Chat      Channel = "chat"
	Email     Channel = "email"
	Social    Channel = "social"
	Messaging Channel = "messaging"
	SMS       Channel = "sms"
	Web       Channel = "web"
)

// Channels lists every valid channel in a stable order.
var Channels = []Channel{Voice, Chat, Email, Social, Messaging, SMS, Web}

// Handler says who took a contact first.
type Handler string

const (
	Bot   Handler = "bot"
	Human Handler = "human"
)

// Stages are the journey stages a contact can belong to.
var Stages = []string{"marketing", "sales", "onboarding", "service", "fulfilment", "billing", "retention"}

// Speakers are the valid speakers of a turn.
var Speakers = []string{"customer", "agent", "bot", "system"}

// IdentityKind names a way a customer can be recognised.
type IdentityKind string

const (
	IdentityID      IdentityKind = "id"      // the brand's customer id
	IdentityEmail   IdentityKind = "email"   // case-folded
	IdentityPhone   IdentityKind = "phone"   // E.164
	IdentityHandle  IdentityKind = "handle"  // lower-cased social handle, with its @
	IdentityAccount IdentityKind = "account" // an account number in another system
)

// IdentityKinds lists the kinds in the order they are tried and shown.
var IdentityKinds = []IdentityKind{IdentityID, IdentityEmail, IdentityPhone, IdentityHandle, IdentityAccount}

// Identity is one normalised way to recognise a customer.
type Identity struct {
	Kind  IdentityKind `json:"kind"`
	Value string       `json:"value"`
}

func (i Identity) String() string { return string(i.Kind) + ":" + i.Value }

// Ref refers to a customer by any identities a source knows. Values are as
// given; the identity package normalises them.
type Ref struct {
	ID      string `json:"id,omitempty"`
	Email   string `json:"email,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Handle  string `json:"handle,omitempty"`
	Account string `json:"account,omitempty"`
}

// Empty reports whether the reference names no identity.
func (r Ref) Empty() bool {
	return r.ID == "" && r.Email == "" && r.Phone == "" && r.Handle == "" && r.Account == ""
}

// Customer is one person, however many identities they reached us through.
type Customer struct {
	ID         int64          `json:"id"` // internal
	ExternalID string         `json:"external_id,omitempty"`
	Name       string         `json:"name,omitempty"`
	Segment    string         `json:"segment,omitempty"`
	Region     string         `json:"region,omitempty"`
	SignupAt   *time.Time     `json:"signup_at,omitempty"`
	Attributes map[string]any `json:"attributes,omitempty"`
	Identities []Identity     `json:"identities"`
	Merges     []Merge        `json:"merges"`
	Value      Value          `json:"value"`
}

// Merge records that two customers turned out to be one.
type Merge struct {
	At       time.Time `json:"at"`
	Survivor int64     `json:"survivor"`
	Merged   int64     `json:"merged"`
	Identity Identity  `json:"identity"` // the identity that linked them
	Record   string    `json:"record"`   // the record that named both, e.g. "interaction zendesk/I7"
}

// Value summarises a customer's value events.
type Value struct {
	Currency      string     `json:"currency,omitempty"`
	Orders        int        `json:"orders"`
	Revenue       Money      `json:"revenue"` // minor units
	Refunds       Money      `json:"refunds"` // minor units, positive
	FirstOrderAt  *time.Time `json:"first_order_at,omitempty"`
	LastOrderAt   *time.Time `json:"last_order_at,omitempty"`
	TenureDays    int        `json:"tenure_days"`
	Status        string     `json:"status"` // active, paused, cancelled, unknown
	StatusChanged *time.Time `json:"status_changed_at,omitempty"`
}

// Money is an amount in minor units (pence, cents): sums never use floats.
type Money int64

// Value events with a meaning for value and churn; any other name is a journey event.
const (
	OrderPlaced           = "order_placed"
	RefundIssued          = "refund_issued"
	SubscriptionStarted   = "subscription_started"
	SubscriptionPaused    = "subscription_paused"
	SubscriptionResumed   = "subscription_resumed"
	SubscriptionCancelled = "subscription_cancelled"
)

// Event is something that happened to a customer outside a conversation.
type Event struct {
	ID         string         `json:"id"`
	Customer   Ref            `json:"customer"`
	CustomerID int64          `json:"customer_id,omitempty"`
	Name       string         `json:"name"`
	At         time.Time      `json:"at"`
	Value      *Money         `json:"value,omitempty"` // minor units
	Currency   string         `json:"currency,omitempty"`
	Attributes map[string]any `json:"attributes,omitempty"`
}

// Agent is the person (or bot persona) who handled a contact.
type Agent struct {
	ID      string `json:"id,omitempty"`
	Team    string `json:"team,omitempty"`
	Partner string `json:"partner,omitempty"`
}

// Turn is one message or utterance.
type Turn struct {
	Speaker   string     `json:"speaker"`
	At        *time.Time `json:"at,omitempty"`
	Text      string     `json:"text"`
	Sentiment *float64   `json:"sentiment,omitempty"` // customer turns, set by analysis
}

// Scores are survey answers; nil means not asked or not answered.
type Scores struct {
	CSAT    *int   `json:"csat,omitempty"` // 1–5
	NPS     *int   `json:"nps,omitempty"`  // 0–10
	CES     *int   `json:"ces,omitempty"`  // 1–7, higher is easier
	Comment string `json:"comment,omitempty"`
}

// Empty reports whether no score was given.
func (s Scores) Empty() bool { return s.CSAT == nil && s.NPS == nil && s.CES == nil }

// Interaction is one customer contact on any channel.
type Interaction struct {
	Source        string         `json:"source"`
	ID            string         `json:"id"`
	Customer      Ref            `json:"customer"`
	CustomerID    int64          `json:"customer_id,omitempty"`
	Channel       Channel        `json:"channel"`
	JourneyStage  string         `json:"journey_stage,omitempty"`
	Queue         string         `json:"queue,omitempty"`
	Handler       Handler        `json:"handler"`
	Agent         Agent          `json:"agent"`
	StartedAt     time.Time      `json:"started_at"`
	EndedAt       *time.Time     `json:"ended_at,omitempty"`
	WaitSeconds   int            `json:"wait_seconds"`
	HandleSeconds int            `json:"handle_seconds"`
	Transfers     int            `json:"transfers"`
	Escalated     bool           `json:"escalated"`
	Abandoned     bool           `json:"abandoned"`
	Resolved      *bool          `json:"resolved,omitempty"` // as the source said; nil when it did not
	Intent        string         `json:"intent,omitempty"`   // as the source said
	Cost          *Money         `json:"cost,omitempty"`     // minor units
	Currency      string         `json:"currency,omitempty"`
	Turns         []Turn         `json:"turns"`
	Survey        *Scores        `json:"survey,omitempty"`
	Tags          []string       `json:"tags,omitempty"`
	Attributes    map[string]any `json:"attributes,omitempty"`
	Analysis      *Analysis      `json:"analysis,omitempty"`
}

// Key returns the interaction's idempotency key.
func (i *Interaction) Key() Key { return Key{Source: i.Source, ID: i.ID} }

// StoredBody encodes an interaction as the store keeps it: everything but
// the customer reference, whose identities live only in the identities table
// (so encryption and erasure have one place to act on). The customer id is a
// column, not part of the body.
//
// The bytes are json.Marshal's; a hand-written encoder (body.go) produces
// them without reflection, and encoding/json itself takes over for what it
// does not cover, such as the error for a NaN.
//
// It is a string because that is what the store's VARCHAR and JSON columns
// take: a []byte would be copied once more, in the single writer.
func StoredBody(in *Interaction) (string, error) {
	if b, err := storedBodyFast(in); err == nil {
		return b, nil
	}
	stored := *in
	stored.Customer, stored.CustomerID = Ref{}, 0
	b, err := json.Marshal(&stored)
	return string(b), err
}

// Key identifies an interaction or survey: the source system and its id there.
type Key struct {
	Source string `json:"source"`
	ID     string `json:"id"`
}

func (k Key) String() string { return k.Source + "/" + k.ID }

// Survey is a survey response about an interaction.
type Survey struct {
	Source      string    `json:"source"`
	ID          string    `json:"id"`
	Interaction Key       `json:"interaction"`
	At          time.Time `json:"at"`
	Scores
	Attributes map[string]any `json:"attributes,omitempty"`
}

// RecordType names the kinds of records an import carries.
type RecordType string

const (
	TypeCustomer    RecordType = "customer"
	TypeEvent       RecordType = "event"
	TypeInteraction RecordType = "interaction"
	TypeSurvey      RecordType = "survey"
	TypeQAReview    RecordType = "qa_review"
)

// RecordTypes lists the record types in the order summaries show them.
var RecordTypes = []RecordType{TypeCustomer, TypeEvent, TypeInteraction, TypeSurvey, TypeQAReview}

// Record is one validated input record on its way to the store. Exactly one
// of Customer, Event, Interaction and Survey is set, matching Type.
type Record struct {
	Type   RecordType
	Origin string // where it came from, "file:line"
	Hash   uint64 // of the record's content as given; equal hashes mean unchanged
	// Body is the interaction as stored (StoredBody), encoded by the import
	// workers in parallel so the single writer does not have to.
	Body       string
	Identities []Identity // normalised customer identities the record names

	Customer    *Customer
	Event       *Event
	Interaction *Interaction
	Survey      *Survey
	QAReview    *QAReview
}

// Label names the record for people: "interaction zendesk/I1".
func (r *Record) Label() string {
	switch r.Type {
	case TypeCustomer:
		return "customer " + r.Customer.ExternalID
	case TypeEvent:
		return "event " + r.Event.ID
	case TypeInteraction:
		return "interaction " + r.Interaction.Key().String()
	case TypeSurvey:
		return "survey " + r.Survey.Source + "/" + r.Survey.ID
	case TypeQAReview:
		return "qa_review " + r.QAReview.ID
	}
	return string(r.Type)
}

// Outcome is what storing one record did.
type Outcome int

const (
	Inserted Outcome = iota
	Updated
	Unchanged
	Rejected
)

// Result is the outcome of one record of a batch; Err explains a rejection.
type Result struct {
	Outcome Outcome
	Field   string
	Err     error
}

// QAReview is a person's QA review of one interaction, imported so that
// Northstar's automatic scoring can be compared with the reviewers'.
type QAReview struct {
	ID          string          `json:"id"`
	Interaction Key             `json:"interaction"`
	Reviewer    string          `json:"reviewer,omitempty"`
	At          time.Time       `json:"at"`
	Score       *float64        `json:"score,omitempty"` // 0–1
	Criteria    map[string]bool `json:"criteria"`        // criterion id → met
}

// Scope is the slice of data a principal may see; every read of the store,
// the metrics and the insights applies it. The zero Scope sees everything.
type Scope struct {
	// Partner, when set, restricts reads to interactions handled by that
	// outsourcing partner's agents, and customers to what those show.
	Partner string `json:"partner,omitempty"`
}
