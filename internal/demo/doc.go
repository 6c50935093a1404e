// Package demo generates the deterministic demo world that `northstar demo` imports: a fictional UK
// meal-kit subscription brand, Hearth & Harvest, with its customers, orders, deliveries, contacts,
// surveys and the ground truth of everything that was built into them.
//
// It is what every user sees first and what later capabilities are tested on (metrics, automation
// fit, value linkage, alerts, QA, redaction, identity resolution), so the world has causes and
// effects worth finding, and truth.json says what they are.
//
// # Output
//
// Write(ctx, dir, cfg, progress) writes, in import order,
//
//	world/customers.ndjson     one record per customer (email always; phone and handle on some)
//	world/events.ndjson        value and journey events: orders, refunds, subscription changes, deliveries…
//	world/interactions.ndjson  contacts with transcripts (≈10 turns), outcomes, costs and inline surveys
//	world/surveys.ndjson       surveys that arrived later, referencing their interaction
//
// and beside them the truth: truth.json (indented, see Truth), truth-intents.csv (id,intent for every
// interaction: interactions themselves carry "intent": null except web-form emails),
// truth-contacts.csv (per-interaction outcome, emotion, vulnerability, PII count and QA criteria),
// truth-identities.csv (every identity link), truth-pii.csv (every identifier planted in text, with
// its turn) and intents-train.csv (text,intent examples from the same paraphrase generator; no
// customer turn in the world repeats one).
//
// The same Config gives byte-identical files: every random draw comes from a PCG stream seeded by
// (Seed, customer index), nothing reads the clock, and nothing iterates a map into the output. Each
// customer's whole life is simulated, written and forgotten before the next, so memory stays flat
// up to millions of customers; JSON is appended by hand into reused buffers.
//
// # The world
//
// Customers (default 20,000) fall into segments (family, couple, single, premium, budget) with their
// own plans (2x2 … 4x4, £29.99–£89.99 a box), churn, skip and channel habits, across eleven UK regions.
// Most joined in the 18 months before the window, skewed recent; about 18% join during a 90-day
// window and ask onboarding questions; a few have lapsed and may come back. Names are a UK mix;
// emails use example.com/.co.uk/.org/.net; phones are 07701–07799 mobiles that libphonenumber accepts
// (07700 900xxx, the drama range, does not validate), written in six formats; emails vary in case.
//
// Each week an active customer may skip (self-serve or through a contact), is charged (payments fail
// 1–4%, 15% for customers in financial hardship), and gets a box: 4.5% are delayed, 5.5% miss an
// item, 2.2% arrive damaged, 1.2% hold the wrong recipe, 2% disappoint on quality. Problems cause
// contacts (where_is_my_box, missing_item…), resolved ones cause refund_issued events. Unplanned
// contacts (billing, promo codes, recipes, logins…) arrive at a rate set by each customer's
// propensity. Customers also pause, change plan, day or address, and cancel.
//
// Experience feeds back: every customer carries a frustration score that unresolved, repeated,
// abandoned, transferred, long-wait and rude contacts raise, and that resolution and empathy lower.
// It raises the weekly odds of cancelling and skipping, so customers with unresolved contacts churn
// more and spend less; truth.json lists the parameters and the churn and revenue by experience.
//
// Contacts choose a channel from the customer's habits and the intent (voice, chat, email, social,
// messaging, a few sms and web). Hearthbot answers chat, messaging and web first and always says it is
// an automated assistant; it is good at skip_week, where_is_my_box, promo_code and invoice_request,
// poor at missing_item and refund_request (it cannot refund), and bad for emotional intents and
// vulnerable customers (it escalates, or they give up). Unresolved contacts are repeated within days,
// a third of the time on another channel. Humans answer voice, email, social and sms and every
// escalation: 120 agents in four teams (billing, deliveries, retention, general) from in-house and two
// outsourcing partners, Northwind BPO and Coastline Contact, with different skills and habits:
// greetings, recording notices on calls, verification, empathy statements, closings, and now and then
// a prohibited phrase ("Calm down…"). Costs per contact follow a per-channel, per-handler model.
// Waits, abandonment and handle times follow the channel and the day's load. About 70% of contacts
// carry "resolved" from the helpdesk; the rest must be inferred from the closing turns, which always
// agree with the truth. Surveys follow about 30% of contacts, scored from what happened (resolution,
// repeats, waits, transfers, effort, agent skill, rudeness, a bot handling something emotional);
// some arrive inline, some as separate records a few hours to a day later.
//
// About 4% of contacts show vulnerability (bereavement, illness, financial hardship, accessibility);
// bereaved relatives ring to cancel the account holder's box. About 15% of contacts carry identifiers
// the customer typed (postcodes and dates of birth given for verification, emails, phones, card and
// bank numbers); each one is listed in truth-pii.csv. About 10% of customers are first seen through a
// phone or social handle their record lacks; a later interaction carries both and links them.
//
// # Field notes for importers
//
// Events start at the window start, apart from subscription_started at signup (which dates cohorts)
// and the cancellations of customers who had lapsed before it; LTV from these files is window LTV.
// handle_seconds is the bot's time plus the agent's for an escalated contact, the agent's talk, hold
// and wrap time otherwise, and the agent's working time for email (the elapsed time is in
// started_at/ended_at). wait_seconds is the human-queue wait (the first reply for email). An
// abandoned call has one "system" turn. Agents carry a name beside id, team and partner. Interaction
// ids are unique across sources. Files are byte-identical for a Config on one architecture; other
// CPUs may round floating point differently.
//
// # Incidents
//
// Placed at fixed fractions of the window so that any Days ≥ 14 holds them all:
//
//	30%  courier outage: two days in which Parcelway's northern hub stops; northern deliveries slip,
//	     where_is_my_box and courier_complaint spike, queues lengthen
//	42%  price rise announced (+£2 a box a week later): price_increase contacts and extra churn
//	55%  Hearthbot 4.3.0 released: it misreads change_delivery_day and delivery_instructions
//	72%  six hours of payment-provider declines: payment_failed events, then billing contacts
//	20%→ Coastline Contact's quality slides until the end: QA misses, lower resolution and CSAT
//
// truth.json gives each window, the effect built in and the effect measured, and the automation
// verdicts (automate_more, keep_human, fix_bot) consistent with how the bot was made to behave.
package demo
