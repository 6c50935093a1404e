package demo

// IntentSpec describes one intent of the brand's taxonomy and how the demo world treats it.
// The bot and human figures are the generator's parameters before any incident; truth.json reports
// what came out.
type IntentSpec struct {
	ID          string `json:"id"`
	Label       string `json:"label"`
	Stage       string `json:"stage"` // journey stage: marketing, sales, onboarding, service, fulfilment, billing, retention
	Queue       string `json:"queue"` // the human team that owns it: billing, deliveries, retention, general
	Description string `json:"description"`
	// BotUnderstanding is the chance Hearthbot recognises the request on the first or second try.
	BotUnderstanding float64 `json:"bot_understanding"`
	// BotSkill is the chance Hearthbot can complete the task once it has understood it.
	BotSkill float64 `json:"bot_skill"`
	// EmotionalWeight runs from 0 (transactional) to 1 (upsetting, high stakes): it drives anger,
	// the need for empathy and how badly a bot conversation lands.
	EmotionalWeight float64 `json:"emotional_weight"`
	// HumanResolution is the resolution rate of an average human agent (skill 0.75).
	HumanResolution float64 `json:"human_resolution"`
	// HandleSeconds is the typical talk, hold and wrap time of a human voice contact.
	HandleSeconds int `json:"handle_seconds"`
	// Automation is the verdict the world is built to support: automate_more, keep_human, fix_bot or "".
	Automation string `json:"automation,omitempty"`
	// AutomationReason says why, in a sentence.
	AutomationReason string `json:"automation_reason,omitempty"`
}

// Intent indexes, in the order of Intents(); the test checks they line up.
const (
	iWhereIsMyBox = iota
	iMissingItem
	iDamagedItem
	iWrongItem
	iQualityComplaint
	iCourierComplaint
	iDeliveryInstructions
	iChangeDeliveryDay
	iChangeAddress
	iSkipWeek
	iPauseSubscription
	iCancelSubscription
	iReactivateSubscription
	iChangePlan
	iUpdatePaymentMethod
	iPaymentFailed
	iRefundRequest
	iBillingQuery
	iInvoiceRequest
	iPriceIncrease
	iPromoCode
	iGiftCard
	iReferralCredit
	iMarketingUnsubscribe
	iFirstBoxQuestions
	iMenuSelection
	iDietaryRequirements
	iAllergenInfo
	iRecipeHelp
	iPackagingRecycling
	iAccountLogin
	iAppProblem
	iDeleteAccount
	iOther
	numIntents
)

// Automation verdicts used in IntentSpec.Automation and truth.json.
const (
	AutomateMore = "automate_more"
	KeepHuman    = "keep_human"
	FixBot       = "fix_bot"
)

// Intents returns the brand's intent taxonomy. The slice is freshly built on each call.
func Intents() []IntentSpec {
	const (
		fulfil = "fulfilment"
		svc    = "service"
		bill   = "billing"
		ret    = "retention"
		dlv    = "deliveries"
		gen    = "general"
	)
	return []IntentSpec{
		{ID: "where_is_my_box", Label: "Where is my box", Stage: fulfil, Queue: dlv,
			Description:      "The box has not arrived or the customer wants tracking for today's delivery.",
			BotUnderstanding: 0.96, BotSkill: 0.90, EmotionalWeight: 0.30, HumanResolution: 0.88, HandleSeconds: 300,
			Automation: AutomateMore, AutomationReason: "Hearthbot reads live tracking and contains most of these with high CSAT, yet about half arrive on human channels."},
		{ID: "missing_item", Label: "Missing item", Stage: fulfil, Queue: dlv,
			Description:      "An ingredient or a whole recipe bag was not in the box.",
			BotUnderstanding: 0.82, BotSkill: 0.25, EmotionalWeight: 0.35, HumanResolution: 0.86, HandleSeconds: 420,
			Automation: FixBot, AutomationReason: "High volume and a simple credit policy, but the bot cannot issue refunds: it escalates or customers give up and contact again."},
		{ID: "damaged_item", Label: "Damaged item", Stage: fulfil, Queue: dlv,
			Description:      "Something arrived crushed, leaking, broken or soaked.",
			BotUnderstanding: 0.82, BotSkill: 0.35, EmotionalWeight: 0.40, HumanResolution: 0.86, HandleSeconds: 420},
		{ID: "wrong_item", Label: "Wrong item", Stage: fulfil, Queue: dlv,
			Description:      "The box held the wrong recipe, a substitute or someone else's order.",
			BotUnderstanding: 0.78, BotSkill: 0.35, EmotionalWeight: 0.35, HumanResolution: 0.85, HandleSeconds: 400},
		{ID: "quality_complaint", Label: "Food quality complaint", Stage: fulfil, Queue: gen,
			Description:      "Produce or meat was spoiled, warm, out of date, or portions and taste disappointed.",
			BotUnderstanding: 0.72, BotSkill: 0.20, EmotionalWeight: 0.60, HumanResolution: 0.80, HandleSeconds: 480,
			Automation: KeepHuman, AutomationReason: "Upset customers and food-safety judgement: bot conversations score far below human ones and churn follows."},
		{ID: "courier_complaint", Label: "Courier complaint", Stage: fulfil, Queue: dlv,
			Description:      "A complaint about the driver or the courier's handling, or repeated lateness.",
			BotUnderstanding: 0.76, BotSkill: 0.25, EmotionalWeight: 0.65, HumanResolution: 0.78, HandleSeconds: 420,
			Automation: KeepHuman, AutomationReason: "Angry customers who want to be heard; the bot escalates or is abandoned and CSAT collapses."},
		{ID: "delivery_instructions", Label: "Delivery instructions", Stage: fulfil, Queue: dlv,
			Description:      "Where the driver should leave the box, or how to deliver it.",
			BotUnderstanding: 0.95, BotSkill: 0.92, EmotionalWeight: 0.05, HumanResolution: 0.95, HandleSeconds: 240,
			Automation: FixBot, AutomationReason: "Contained well until Hearthbot 4.3.0; since the release it misreads these requests and escalates."},
		{ID: "change_delivery_day", Label: "Change delivery day", Stage: svc, Queue: dlv,
			Description:      "Move the regular delivery day or this week's delivery.",
			BotUnderstanding: 0.96, BotSkill: 0.93, EmotionalWeight: 0.05, HumanResolution: 0.95, HandleSeconds: 240,
			Automation: FixBot, AutomationReason: "A bot task before Hearthbot 4.3.0; the release broke understanding, so escalations and repeats jumped."},
		{ID: "change_address", Label: "Change address", Stage: svc, Queue: gen,
			Description:      "Update or temporarily change the delivery address.",
			BotUnderstanding: 0.90, BotSkill: 0.82, EmotionalWeight: 0.05, HumanResolution: 0.94, HandleSeconds: 300},
		{ID: "skip_week", Label: "Skip a week", Stage: svc, Queue: gen,
			Description:      "Skip one or more upcoming deliveries.",
			BotUnderstanding: 0.97, BotSkill: 0.96, EmotionalWeight: 0.05, HumanResolution: 0.97, HandleSeconds: 180,
			Automation: AutomateMore, AutomationReason: "The bot contains almost all of them with high CSAT; every human-handled skip is avoidable cost."},
		{ID: "pause_subscription", Label: "Pause subscription", Stage: ret, Queue: ret,
			Description:      "Put deliveries on hold for some weeks instead of cancelling.",
			BotUnderstanding: 0.92, BotSkill: 0.82, EmotionalWeight: 0.20, HumanResolution: 0.93, HandleSeconds: 360},
		{ID: "cancel_subscription", Label: "Cancel subscription", Stage: ret, Queue: ret,
			Description:      "End the subscription; includes bereavement and hardship cancellations.",
			BotUnderstanding: 0.88, BotSkill: 0.45, EmotionalWeight: 0.70, HumanResolution: 0.92, HandleSeconds: 540,
			Automation: KeepHuman, AutomationReason: "Bereavement and hardship sit here, and retention agents save some customers; the bot saves none and upsets the vulnerable."},
		{ID: "reactivate_subscription", Label: "Reactivate subscription", Stage: ret, Queue: ret,
			Description:      "A lapsed customer wants to restart deliveries.",
			BotUnderstanding: 0.90, BotSkill: 0.82, EmotionalWeight: 0.10, HumanResolution: 0.94, HandleSeconds: 300},
		{ID: "change_plan", Label: "Change plan", Stage: svc, Queue: gen,
			Description:      "Change the number of people or recipes per box.",
			BotUnderstanding: 0.90, BotSkill: 0.82, EmotionalWeight: 0.05, HumanResolution: 0.94, HandleSeconds: 300},
		{ID: "update_payment_method", Label: "Update payment method", Stage: bill, Queue: bill,
			Description:      "Add a new card or switch how the subscription is paid.",
			BotUnderstanding: 0.92, BotSkill: 0.78, EmotionalWeight: 0.10, HumanResolution: 0.93, HandleSeconds: 300},
		{ID: "payment_failed", Label: "Payment failed", Stage: bill, Queue: bill,
			Description:      "A charge was declined and the customer wants the box to still come.",
			BotUnderstanding: 0.88, BotSkill: 0.50, EmotionalWeight: 0.40, HumanResolution: 0.88, HandleSeconds: 420},
		{ID: "refund_request", Label: "Refund request", Stage: bill, Queue: bill,
			Description:      "Money back for an unwanted, unskipped, late or post-cancellation box, or chasing a promised refund.",
			BotUnderstanding: 0.80, BotSkill: 0.20, EmotionalWeight: 0.50, HumanResolution: 0.82, HandleSeconds: 480,
			Automation: FixBot, AutomationReason: "The bot understands refund requests but cannot action them; most escalate or are abandoned and repeat."},
		{ID: "billing_query", Label: "Billing query", Stage: bill, Queue: bill,
			Description:      "Questions about a charge, a double charge or a missing discount.",
			BotUnderstanding: 0.78, BotSkill: 0.40, EmotionalWeight: 0.30, HumanResolution: 0.85, HandleSeconds: 420},
		{ID: "invoice_request", Label: "Invoice or receipt", Stage: bill, Queue: bill,
			Description:      "A VAT receipt or invoice for one or more orders.",
			BotUnderstanding: 0.94, BotSkill: 0.93, EmotionalWeight: 0.00, HumanResolution: 0.97, HandleSeconds: 200,
			Automation: AutomateMore, AutomationReason: "Pure retrieval the bot does perfectly, yet most arrive by email to human agents."},
		{ID: "price_increase", Label: "Price increase complaint", Stage: ret, Queue: ret,
			Description:      "Unhappiness about the price rise, asking to keep the old price.",
			BotUnderstanding: 0.82, BotSkill: 0.30, EmotionalWeight: 0.55, HumanResolution: 0.80, HandleSeconds: 420},
		{ID: "promo_code", Label: "Promo code", Stage: "sales", Queue: gen,
			Description:      "A discount code does not work, was forgotten or the customer wants one.",
			BotUnderstanding: 0.96, BotSkill: 0.90, EmotionalWeight: 0.10, HumanResolution: 0.93, HandleSeconds: 240,
			Automation: AutomateMore, AutomationReason: "Contained with high CSAT on the bot; human handling adds cost without better outcomes."},
		{ID: "gift_card", Label: "Gift card", Stage: "sales", Queue: gen,
			Description:      "Buying, redeeming or checking a gift card or gift box.",
			BotUnderstanding: 0.90, BotSkill: 0.78, EmotionalWeight: 0.05, HumanResolution: 0.92, HandleSeconds: 300},
		{ID: "referral_credit", Label: "Referral credit", Stage: "marketing", Queue: gen,
			Description:      "Refer-a-friend credit that did not appear, or how the scheme works.",
			BotUnderstanding: 0.90, BotSkill: 0.72, EmotionalWeight: 0.10, HumanResolution: 0.90, HandleSeconds: 300},
		{ID: "marketing_unsubscribe", Label: "Unsubscribe from marketing", Stage: "marketing", Queue: gen,
			Description:      "Stop marketing emails or texts.",
			BotUnderstanding: 0.92, BotSkill: 0.90, EmotionalWeight: 0.15, HumanResolution: 0.96, HandleSeconds: 180},
		{ID: "first_box_questions", Label: "First box questions", Stage: "onboarding", Queue: gen,
			Description:      "A new customer asks when the first box comes and how it works.",
			BotUnderstanding: 0.92, BotSkill: 0.82, EmotionalWeight: 0.10, HumanResolution: 0.94, HandleSeconds: 300},
		{ID: "menu_selection", Label: "Menu selection", Stage: "onboarding", Queue: gen,
			Description:      "Choosing or swapping recipes and the menu deadline.",
			BotUnderstanding: 0.92, BotSkill: 0.86, EmotionalWeight: 0.05, HumanResolution: 0.95, HandleSeconds: 240},
		{ID: "dietary_requirements", Label: "Dietary requirements", Stage: svc, Queue: gen,
			Description:      "Vegetarian, vegan, gluten-free and other preferences.",
			BotUnderstanding: 0.86, BotSkill: 0.72, EmotionalWeight: 0.15, HumanResolution: 0.92, HandleSeconds: 300},
		{ID: "allergen_info", Label: "Allergen information", Stage: svc, Queue: gen,
			Description:      "Whether a recipe contains an allergen, or a reaction to a meal.",
			BotUnderstanding: 0.86, BotSkill: 0.45, EmotionalWeight: 0.35, HumanResolution: 0.93, HandleSeconds: 360},
		{ID: "recipe_help", Label: "Recipe help", Stage: svc, Queue: gen,
			Description:      "Cooking steps, storage, swaps and missing recipe cards.",
			BotUnderstanding: 0.86, BotSkill: 0.76, EmotionalWeight: 0.05, HumanResolution: 0.93, HandleSeconds: 240},
		{ID: "packaging_recycling", Label: "Packaging and recycling", Stage: svc, Queue: gen,
			Description:      "Recycling boxes, liners and ice packs.",
			BotUnderstanding: 0.93, BotSkill: 0.90, EmotionalWeight: 0.05, HumanResolution: 0.96, HandleSeconds: 180},
		{ID: "account_login", Label: "Account login", Stage: svc, Queue: gen,
			Description:      "Cannot sign in, password reset or login codes.",
			BotUnderstanding: 0.90, BotSkill: 0.70, EmotionalWeight: 0.20, HumanResolution: 0.90, HandleSeconds: 300},
		{ID: "app_problem", Label: "App or website problem", Stage: svc, Queue: gen,
			Description:      "The app or website crashes, shows wrong data or will not check out.",
			BotUnderstanding: 0.82, BotSkill: 0.40, EmotionalWeight: 0.30, HumanResolution: 0.80, HandleSeconds: 420},
		{ID: "delete_account", Label: "Delete account and data", Stage: svc, Queue: gen,
			Description:      "Erase the account and personal data (a data-protection request).",
			BotUnderstanding: 0.88, BotSkill: 0.50, EmotionalWeight: 0.20, HumanResolution: 0.92, HandleSeconds: 300},
		{ID: "other", Label: "Other / out of scope", Stage: svc, Queue: gen,
			Description:      "Anything the brand does not handle: wrong numbers, job enquiries, products it does not sell.",
			BotUnderstanding: 0.40, BotSkill: 0.30, EmotionalWeight: 0.05, HumanResolution: 0.75, HandleSeconds: 180},
	}
}
