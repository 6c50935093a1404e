package demo

// The phrase bank. Templates name slots in braces ({item}, {day}…); phrasebook.go parses them once
// per Write and fills them per contact. Customer wording is varied further by style (politeness,
// anger, emoji, typos, casing) so that no two contacts need share a sentence.

// intentText is the wording for one intent, aligned with Intents() by index.
type intentText struct {
	openers []string // the customer's first message
	details []string // what the customer adds when asked
	asks    []string // the bot's or agent's follow-up question
	solves  []string // the bot's or agent's answer when it is sorted
	fails   []string // the agent's answer when it cannot be sorted now
}

func intentTexts() []intentText {
	return []intentText{
		{ // where_is_my_box
			openers: []string{
				"Where is my box? It was meant to arrive {when}.",
				"My delivery hasn't turned up yet, can you tell me where it is?",
				"Still no sign of my {day} delivery. Any update?",
				"Can you track my order please? The tracking link just says in transit.",
				"My Hearth & Harvest box was due today and nothing has come.",
				"Any idea when my food is arriving? I've been in all day.",
				"I'm waiting on order {order}, what time will it get here?",
				"Is my delivery running late? I need the ingredients for tonight's dinner.",
				"my box still hasnt come",
				"The app says my box is on its way but it's now gone 8pm.",
			},
			details: []string{
				"It's the {day} delivery, order {order}.",
				"I've checked with the neighbours and the safe place, nothing.",
				"I need to know if I should go out and buy food for tonight.",
				"The tracking hasn't updated since this morning.",
			},
			asks: []string{
				"Let me check that for you. Which delivery is it about?",
				"I can look into that. Can you confirm it's this week's {day} box?",
			},
			solves: []string{
				"I've found order {order}. It's with {courier} and out for delivery, expected between {eta}.",
				"Your box is on the van with {courier} now and should be with you between {eta}. Everything is packed with ice packs so it will stay cold.",
				"It was held up at the {courier} depot but it's out for delivery now, expected between {eta}. I've added a £5 credit for the wait.",
			},
			fails: []string{
				"The courier hasn't given us an update yet. I've raised it with {courier} and we'll text you as soon as we know more.",
				"I can't see where the box is at the moment. I've opened an investigation with {courier} and we'll be in touch within 24 hours.",
			},
		},
		{ // missing_item
			openers: []string{
				"There's an item missing from my box, {item} wasn't in it.",
				"My delivery came without {item}, so I can't make the {recipe}.",
				"{item} is missing from this week's order.",
				"We're missing {item} and the sauce for the {recipe}.",
				"Opened my box and half the {recipe} ingredients aren't there.",
				"{item} wasn't in my box again. Can I get my money back for it?",
				"Box arrived but {item} is missing.",
				"You forgot to pack {item} for the {recipe}.",
			},
			details: []string{
				"It was for the {recipe}, I checked all the bags twice.",
				"I've looked in every bag and it's definitely not there.",
				"Order {order}, delivered {when}.",
				"Can you refund it or send a replacement?",
			},
			asks: []string{
				"I'm sorry to hear that. Which recipe was it for?",
				"Sorry about that. Can you tell me exactly what was missing?",
			},
			solves: []string{
				"I've refunded {refund} to your card for the missing item; you'll see it in 3 to 5 working days.",
				"I've added {refund} credit to your account, which will come off your next box, and flagged it with the packing team.",
				"I've issued a refund of {refund} and let the warehouse know so it doesn't happen again.",
			},
			fails: []string{
				"I need to check this with the warehouse before I can refund it. Someone will email you within 48 hours.",
				"I can't process the refund until the packing team confirms. I've raised a case and we'll come back to you.",
			},
		},
		{ // damaged_item
			openers: []string{
				"The {item} in my box was damaged, the packet had split open.",
				"My box arrived crushed and {item} was leaking everywhere.",
				"Half the eggs were smashed in today's delivery.",
				"The ice packs had burst and everything is soaked.",
				"{item} came broken, it's unusable.",
				"Got my delivery and the {item} is squashed and leaking.",
				"The box was ripped open when it arrived and some things are damaged.",
				"Everything in the {recipe} bag was crushed.",
			},
			details: []string{
				"I've taken photos if you need them.",
				"It was for the {recipe}.",
				"Everything else is fine, just that.",
				"The box itself was soaking wet when the driver left it.",
			},
			asks: []string{
				"I'm sorry it arrived like that. Which items were damaged?",
				"Oh no. Could you tell me what was damaged and whether anything else was affected?",
			},
			solves: []string{
				"I've refunded {refund} for the damaged items; it'll be back on your card in 3 to 5 working days.",
				"I've added {refund} credit to your account and reported the damage to {courier}.",
			},
			fails: []string{
				"I'll need the photos before I can refund this. Please reply to the email I'm sending and we'll sort it from there.",
				"I've logged the damage but the refund needs a supervisor to approve it. You'll hear from us within 48 hours.",
			},
		},
		{ // wrong_item
			openers: []string{
				"I've been sent the wrong recipe, I ordered the {recipe} but got something else.",
				"You've sent me {item} instead of what I ordered.",
				"Wrong ingredients in my box this week, this isn't what I chose.",
				"I'm vegetarian and you've sent me a meat recipe!",
				"This box isn't mine, it has someone else's name on it.",
				"Received a different recipe to the one I picked.",
				"The {recipe} bag had the wrong stuff in it.",
			},
			details: []string{
				"I chose the {recipe} and got a completely different meal.",
				"The label on the bag says {recipe} but the contents don't match.",
				"I can't eat what you've sent.",
			},
			asks: []string{
				"Sorry about the mix-up. Which recipe did you choose and what arrived instead?",
				"I'm sorry about that. Can you tell me what you were expecting?",
			},
			solves: []string{
				"I've refunded {refund} for the wrong recipe and flagged your order for a check at packing next week.",
				"I've credited {refund} to your account. Please keep or donate what you received, no need to send it back.",
			},
			fails: []string{
				"I need the packing team to confirm what went in the box. I've raised a case and we'll email you.",
			},
		},
		{ // quality_complaint
			openers: []string{
				"The {item} in my box was mouldy.",
				"The vegetables were already going off when the box arrived.",
				"The {item} smelt off, I had to throw it away.",
				"Really disappointed with the quality this week, the {item} was past its best.",
				"The meat was out of date on arrival.",
				"The portion sizes have got much smaller, the {recipe} barely fed two of us.",
				"The {recipe} was bland and the {item} was rubbery, not what I pay for.",
				"Everything in this week's box was warm, the ice packs had completely melted.",
			},
			details: []string{
				"I've been a customer for {tenure} and the quality has really dropped.",
				"I had to go out and buy dinner instead.",
				"I'm worried about food safety to be honest.",
				"It was the {recipe}, the use-by date was yesterday.",
			},
			asks: []string{
				"I'm really sorry about that. Can you tell me which items were affected?",
				"That's not the standard we want. Which recipe was it for, and what was wrong with it?",
			},
			solves: []string{
				"I've refunded {refund} and passed the details to our quality team, who check every report.",
				"I've refunded the recipe in full, {refund}, and sent your report to the supplier team.",
			},
			fails: []string{
				"I've logged this with our quality team. They'll review it and contact you about any refund.",
				"I'm not able to refund this without a photo of the use-by date. Could you send one when you can?",
			},
		},
		{ // courier_complaint
			openers: []string{
				"Your driver threw my box over the gate.",
				"The courier left my box out in the rain on the doorstep.",
				"The {courier} driver was really rude to me.",
				"My box was left with a random neighbour, I had to go looking for it.",
				"The driver marked it as delivered but didn't even knock.",
				"Why is {courier} so unreliable? This is the third late delivery.",
				"The delivery driver left the box in the bin store and everything was warm.",
				"Your courier blocked my drive for twenty minutes and was abusive when I asked him to move.",
			},
			details: []string{
				"It was the {day} delivery. I want this reported.",
				"I've got a doorbell camera video of it.",
				"This keeps happening with {courier}, can you use someone else?",
			},
			asks: []string{
				"I'm sorry to hear that. Can you tell me which delivery and what happened?",
				"That's not acceptable. When was this, so I can report it to {courier}?",
			},
			solves: []string{
				"I've reported this to {courier} with your delivery details and added a £10 credit to your account for the trouble.",
				"I've filed a formal complaint with {courier} and added a note so drivers follow your instructions. I've also credited your account.",
			},
			fails: []string{
				"I've passed it to {courier}; they handle complaints about drivers and will contact you directly.",
			},
		},
		{ // delivery_instructions
			openers: []string{
				"Can you tell the driver to leave my box in the porch?",
				"Please add a safe place: behind the side gate.",
				"I'm out on {day}, can the box be left with my neighbour at number 12?",
				"How do I add delivery instructions to my account?",
				"Can the driver ring the bell instead of knocking? The baby is usually asleep.",
				"I want to change where the driver leaves my box.",
				"Please don't leave the box in the front garden any more, put it in the shed.",
			},
			details: []string{
				"The side gate code is on my account notes.",
				"It's the blue door round the back.",
				"From this week onwards please.",
			},
			asks: []string{
				"I can add that. Where would you like the driver to leave it?",
				"Sure. Should this apply to every delivery or just this week's?",
			},
			solves: []string{
				"Done: your safe place is saved and will be on the driver's notes from your {day} delivery.",
				"I've updated your delivery instructions for every delivery from now on.",
			},
			fails: []string{
				"Instructions for this week's box can't be changed now it's with {courier}, but I've saved them for next week.",
			},
		},
		{ // change_delivery_day
			openers: []string{
				"Can I change my delivery day from {day} to {newday}?",
				"I'd like my boxes on {newday} instead of {day} from now on.",
				"Is it possible to move this week's delivery to {newday}?",
				"Need to switch my delivery day please.",
				"Can you deliver on {newday}? {day} doesn't work for me any more.",
				"How do I change the day my box arrives?",
				"I'm away on {day}, could this week's box come on {newday}?",
			},
			details: []string{
				"{newday} would be best, every week.",
				"Just this week, then back to {day}.",
				"I work late on {day}s now.",
			},
			asks: []string{
				"Which day would you like instead?",
				"Happy to help. Is that for every week or just the next delivery?",
			},
			solves: []string{
				"All done: your deliveries now arrive on {newday}, starting with your next box.",
				"I've moved your delivery to {newday}. You'll get a confirmation email shortly.",
			},
			fails: []string{
				"{newday} deliveries aren't available in your area yet, so I've left it on {day} for now.",
			},
		},
		{ // change_address
			openers: []string{
				"I've moved house, how do I update my delivery address?",
				"Can you change my address? I'm moving at the weekend.",
				"I need my box delivered to my work address this week.",
				"We've moved, can you send future boxes to our new place?",
				"Changing address next week, what do I need to do?",
				"Can my next box go to my mum's house instead?",
				"Please update the delivery address on my account.",
			},
			details: []string{
				"From the next delivery please.",
				"Just for one week, then back to normal.",
				"The new address is already saved under my profile, I just can't select it.",
			},
			asks: []string{
				"I can update that. From which delivery should the new address apply?",
				"Sure. Is this a permanent move or a one-off?",
			},
			solves: []string{
				"Your new address is saved and your next box will go there.",
				"Done: this week's box goes to the new address and later ones follow it.",
			},
			fails: []string{
				"We don't deliver to that postcode yet, so I can't switch it. I'm sorry.",
			},
		},
		{ // skip_week
			openers: []string{
				"Can I skip next week's box?",
				"I'd like to skip the delivery on {day}, we're away.",
				"Please skip my box for the next {weeks}.",
				"How do I skip a week?",
				"Skip next week please",
				"We're on holiday, can you skip the next delivery?",
				"Don't send a box this week please, we've got plenty of food.",
				"Is it too late to skip this {day}'s box?",
			},
			details: []string{
				"Just the one week.",
				"The next {weeks} if possible.",
				"We're back after that.",
			},
			asks: []string{
				"Sure. Which week would you like to skip?",
				"I can do that. Is it just the {day} delivery?",
			},
			solves: []string{
				"Done: your {day} delivery is skipped and you won't be charged for it.",
				"That's skipped. Your next box will arrive the week after, as usual.",
			},
			fails: []string{
				"That box has already been packed, so it's too late to skip it, but I've skipped the week after for you.",
			},
		},
		{ // pause_subscription
			openers: []string{
				"I want to pause my subscription for a while.",
				"Can I pause my deliveries for {weeks}?",
				"Please put my account on hold until next month.",
				"How do I pause rather than cancel?",
				"We're going travelling, can we pause the boxes?",
				"Can you stop my boxes for a bit? Not cancel, just pause.",
				"I'd like to take a break from deliveries for {weeks}.",
			},
			details: []string{
				"About {weeks}, then we'll be back.",
				"Until we're settled after the move.",
				"I'd rather not cancel.",
			},
			asks: []string{
				"I can pause that for you. How long would you like the break to be?",
				"Of course. When would you like deliveries to restart?",
			},
			solves: []string{
				"Your subscription is paused for {weeks}. We'll remind you a week before it restarts.",
				"Done: no boxes and no charges for {weeks}, then everything restarts automatically.",
			},
			fails: []string{
				"I can't pause it this week because the box is already packed, but the pause will start after it.",
			},
		},
		{ // cancel_subscription
			openers: []string{
				"I want to cancel my subscription.",
				"Please cancel my account, I don't want any more boxes.",
				"How do I cancel? I can't find the option anywhere.",
				"Cancel my Hearth & Harvest subscription please.",
				"I'd like to stop my deliveries permanently.",
				"I've had enough, cancel everything.",
				"Can you close my account and stop taking payments?",
				"We've decided to cancel, it's just not working for us.",
			},
			details: []string{
				"It's too expensive for us now.",
				"We just don't use all the meals.",
				"After the last few weeks of problems I don't trust you to get it right.",
				"No, I don't want a discount, just cancel it please.",
			},
			asks: []string{
				"I can help with that. Can I ask what's made you decide to cancel?",
				"I'm sorry to see you go. Would a pause or a smaller plan help, or shall I cancel?",
			},
			solves: []string{
				"I've cancelled your subscription. There will be no more boxes or charges, and you'll get a confirmation email.",
				"Your subscription is cancelled from today. Nothing further will be taken.",
			},
			fails: []string{
				"I can't cancel it from here, the request has to go to our retention team. They'll call you within two days.",
				"Your next box is already packed so that one will still come and be charged. I've noted the cancellation request for the team.",
			},
		},
		{ // reactivate_subscription
			openers: []string{
				"I'd like to restart my subscription.",
				"Can I reactivate my account? I cancelled a few months ago.",
				"We want to start getting boxes again.",
				"How do I come back? Is my old plan still available?",
				"Please turn my deliveries back on.",
				"I cancelled last year but I miss the recipes, can I rejoin?",
				"Restart my boxes from next week please.",
			},
			details: []string{
				"The same plan as before, {plan}.",
				"Same address and same day.",
				"Is there a returning customer discount?",
			},
			asks: []string{
				"Welcome back! Would you like the same plan as before?",
				"Lovely. Which day would you like your first box?",
			},
			solves: []string{
				"You're all set: your {plan} plan restarts with a box on {day}.",
				"Your subscription is active again and your first box arrives {day}. Welcome back!",
			},
			fails: []string{
				"Your old account is locked after the cancellation, so the team needs to reopen it. We'll email you today.",
			},
		},
		{ // change_plan
			openers: []string{
				"Can I change my plan to {newplan}?",
				"I'd like to go from {plan} to {newplan}.",
				"We need more portions now, can I upgrade my plan?",
				"Can I reduce the number of recipes each week?",
				"How do I switch to the {newplan} plan?",
				"I want fewer meals per box, it's too much food.",
				"Can I downgrade to a cheaper plan?",
			},
			details: []string{
				"{newplan} please, from the next box.",
				"There are more of us at home now.",
				"We're wasting too much food.",
			},
			asks: []string{
				"Which plan would you like to move to?",
				"No problem. Should the change start with your next box?",
			},
			solves: []string{
				"Done: you're on the {newplan} plan from your next box, at {price} a week.",
				"Your plan is now {newplan}. The new price shows on your next charge.",
			},
			fails: []string{
				"Plan changes can't be made once the week's menu is locked; please try again after Friday.",
			},
		},
		{ // update_payment_method
			openers: []string{
				"I need to update my card details.",
				"How do I change the card you take payment from?",
				"My card has expired, where can I add a new one?",
				"Can I pay with PayPal instead of my card?",
				"I've got a new bank card, please update it.",
				"I want to change the payment method on my account.",
			},
			details: []string{
				"The old card was cancelled by my bank.",
				"It's a new debit card.",
				"Before the next payment comes out please.",
			},
			asks: []string{
				"I can help. Would you like a secure link to add the new card?",
				"For security I can't take card numbers here, but I can send a secure payment link. Shall I?",
			},
			solves: []string{
				"I've sent a secure link by email; once you've added the card it becomes your default for the next charge.",
				"That's updated: the new payment method will be used from your next box.",
			},
			fails: []string{
				"The payment page is having problems at the moment. Please try again later today.",
			},
		},
		{ // payment_failed
			openers: []string{
				"My payment failed but there's money in my account.",
				"I got an email saying my payment didn't go through, why?",
				"Why was my card declined? Will my box still come?",
				"It says payment failed for my order on {day}.",
				"Payment error on my account, please help, I don't want to miss my box.",
				"Your site keeps saying my payment was declined.",
				"I've been told my payment failed but my bank says nothing was attempted.",
			},
			details: []string{
				"The card is fine, I used it this morning.",
				"Can you try taking it again now?",
				"It's the {amount} for this week's box.",
			},
			asks: []string{
				"Sorry about that. Would you like me to retry the payment now?",
				"Let me look into it. Is the card on your account still the one you want to use?",
			},
			solves: []string{
				"I've retried the payment of {amount} and it's gone through, so your box is confirmed for {day}.",
				"It was a problem on our payment provider's side. I've taken the {amount} again successfully and your box will arrive as planned.",
			},
			fails: []string{
				"The retry was declined again. Please check with your bank or add another card before midnight, or the box won't be sent.",
				"I can't retry it while the payment system is down. It should recover soon and we'll try again automatically.",
			},
		},
		{ // refund_request
			openers: []string{
				"I want a refund for last week's box.",
				"I was charged {amount} after I'd skipped, please refund it.",
				"I was charged for a box I never received, I want a refund.",
				"I cancelled but you still took {amount}, refund please.",
				"Please refund the {amount} you took {when}.",
				"When will I get the refund I was promised?",
				"I forgot to skip and I don't want this box, can I get a refund?",
				"I'd like my money back for the late delivery.",
			},
			details: []string{
				"It's {amount} and I want it back on my card, not as credit.",
				"I was told a week ago it was being processed.",
				"Order {order}.",
			},
			asks: []string{
				"I can look into that. Which charge is it?",
				"Sorry about that. Can you confirm the amount and roughly when it was taken?",
			},
			solves: []string{
				"I've refunded {refund} to your card; it takes 3 to 5 working days to show.",
				"Your refund of {refund} is processed. You'll get a confirmation email now.",
			},
			fails: []string{
				"Refunds over £20 need a supervisor's approval. I've requested it and you'll hear from us within 48 hours.",
				"I can only offer account credit for that box, not a card refund.",
			},
		},
		{ // billing_query
			openers: []string{
				"Why have I been charged {amount} this week?",
				"I've been charged twice for the same box.",
				"Can you explain the charges on my statement?",
				"My bill is higher than usual, what's going on?",
				"What's this {amount} payment from Hearth & Harvest?",
				"I don't recognise a payment to you {when}.",
				"Why wasn't my discount applied to this week's charge?",
			},
			details: []string{
				"It was {amount}, I normally pay less than that.",
				"Both payments show on my banking app.",
				"I had a code that should have taken 20% off.",
			},
			asks: []string{
				"Let me check your recent payments. Which charge are you asking about?",
				"I'll take a look. Was this the charge from {when}?",
			},
			solves: []string{
				"The {amount} is your weekly box plus the add-ons you chose. The second line is a pending authorisation that will drop off within 3 days.",
				"The discount wasn't applied, so I've refunded the difference of {refund}.",
			},
			fails: []string{
				"I can't see why it was charged twice. I've passed it to our payments team, who'll email you.",
			},
		},
		{ // invoice_request
			openers: []string{
				"Can I get a VAT receipt for my last order?",
				"I need an invoice for my {amount} payment.",
				"Where can I download my receipts?",
				"Please send me invoices for the last three months.",
				"Can you email me a receipt for order {order}?",
				"I need a receipt for my expenses.",
			},
			details: []string{
				"It's for order {order}.",
				"PDF if possible.",
				"To the email on my account please.",
			},
			asks: []string{
				"Sure. Which orders do you need receipts for?",
				"I can send that. Should it go to the email on your account?",
			},
			solves: []string{
				"I've emailed you the receipts as PDFs. You can also download them under Account, then Orders.",
				"Done: the VAT receipt for order {order} is in your inbox.",
			},
			fails: []string{
				"Invoices older than 90 days have to come from our finance team. I've asked them to email you.",
			},
		},
		{ // price_increase
			openers: []string{
				"Why has the price gone up?",
				"I've just seen you're putting your prices up by {increase} a box. That's outrageous.",
				"The new price of {price} is too much for us.",
				"Another price rise? I'm seriously thinking of leaving.",
				"You've increased the price but the portions are smaller, how is that fair?",
				"Can I keep my old price? I've been with you for {tenure}.",
				"Got your email about the price increase, not happy.",
			},
			details: []string{
				"I've been loyal for {tenure} and this is how you treat me.",
				"Other meal kits are cheaper now.",
				"Is there any discount for long-standing customers?",
			},
			asks: []string{
				"I understand. Would it help if I looked at the options for your plan?",
				"I'm sorry it's disappointing. Can I explain what's changed and see what I can offer?",
			},
			solves: []string{
				"I've applied a loyalty discount of 15% to your next four boxes, so your price stays close to what you paid before.",
				"I've moved you to a plan at {price} that keeps your costs about the same.",
			},
			fails: []string{
				"I'm afraid the new prices apply to everyone and I can't offer a discount.",
			},
		},
		{ // promo_code
			openers: []string{
				"My promo code {code} isn't working.",
				"How do I use a discount code?",
				"I forgot to add my code {code} at checkout, can you apply it?",
				"The code {code} says it's expired but the email says it's valid until the end of the month.",
				"Can I use {code} on my next box?",
				"Do you have any discount codes for existing customers?",
				"Where do I enter a voucher code in the app?",
			},
			details: []string{
				"The code is {code}.",
				"It was in the email you sent last week.",
				"It says invalid code when I type it.",
			},
			asks: []string{
				"Let me check that code. Which one are you using?",
				"I can help. Is it for your next box?",
			},
			solves: []string{
				"I've applied {code} to your next box, so you'll see the discount on your next charge.",
				"That code is valid for existing customers: it's now on your account and will come off your next order.",
			},
			fails: []string{
				"{code} is for new customers only, so I can't apply it. Sorry about that.",
			},
		},
		{ // gift_card
			openers: []string{
				"How do I redeem a gift card?",
				"I want to buy a gift subscription for my sister.",
				"My gift card code isn't being accepted.",
				"Can I use a gift card alongside my subscription?",
				"How much is left on my gift voucher?",
				"Can I send a Hearth & Harvest box as a present?",
			},
			details: []string{
				"It was a birthday present.",
				"It's a digital gift card from the website.",
				"For a box next month.",
			},
			asks: []string{
				"Happy to help. Do you have the gift card code to hand?",
				"Would you like to buy a gift card or redeem one?",
			},
			solves: []string{
				"The gift card is now on your account and will be used against your next boxes.",
				"You can buy a gift box under Gifts on our website; I've emailed you the link.",
			},
			fails: []string{
				"That gift card has already been redeemed on another account, so I've asked the team to investigate.",
			},
		},
		{ // referral_credit
			openers: []string{
				"I referred a friend but didn't get my credit.",
				"Where's my £20 referral reward? My friend signed up last week.",
				"How does the refer-a-friend scheme work?",
				"My referral credit hasn't appeared on my account.",
				"My friend used my link but neither of us got the discount.",
				"How many friends can I refer?",
			},
			details: []string{
				"She signed up {when}.",
				"He used the link from my account page.",
				"It's been two weeks.",
			},
			asks: []string{
				"Let me check. When did your friend sign up?",
				"I can look into it. Did your friend use your referral link?",
			},
			solves: []string{
				"I've added your £20 referral credit; it'll come off your next box.",
				"Credit appears once your friend's first box is delivered. That's happened now, so I've added it manually.",
			},
			fails: []string{
				"Your friend's order didn't use your link, so the credit doesn't apply automatically. I've asked the team to review it.",
			},
		},
		{ // marketing_unsubscribe
			openers: []string{
				"Please stop sending me marketing emails.",
				"How do I unsubscribe from your texts?",
				"I keep getting promotional emails even though I unsubscribed.",
				"Take me off your mailing list.",
				"Stop texting me offers please.",
				"Too many emails from you, how do I turn them off?",
			},
			details: []string{
				"I still want order updates, just not the offers.",
				"Texts and emails both.",
				"I unsubscribed weeks ago.",
			},
			asks: []string{
				"I can do that. Emails, texts, or both?",
				"Sure. Should I keep delivery updates on?",
			},
			solves: []string{
				"You're unsubscribed from marketing emails and texts. You'll still get delivery updates.",
				"Done: no more offers. It can take 48 hours for emails already scheduled to stop.",
			},
			fails: []string{
				"I've updated your preferences, but one more scheduled email may still arrive.",
			},
		},
		{ // first_box_questions
			openers: []string{
				"I've just signed up, when will my first box arrive?",
				"First time ordering, how does it work?",
				"Does the box need to go straight in the fridge?",
				"Just joined, how long does the food stay fresh?",
				"What happens if I'm not in for my first delivery?",
				"I've just ordered, can I still change my first box?",
				"New customer here, do I need to choose recipes every week?",
			},
			details: []string{
				"I signed up {when}.",
				"I'm out at work all day.",
				"It's my first order.",
			},
			asks: []string{
				"Welcome to Hearth & Harvest! What would you like to know about your first box?",
				"Welcome aboard. Is this about delivery or about choosing recipes?",
			},
			solves: []string{
				"Your first box arrives on {day}. The insulation keeps it cold until 10pm, so it's fine on the doorstep, and you can change recipes until Wednesday midnight.",
				"We pick recipes for you if you don't choose by the deadline, and you can change them any week in the app.",
			},
			fails: []string{
				"Your first box is already being packed, so it can't be changed now.",
			},
		},
		{ // menu_selection
			openers: []string{
				"How do I choose my recipes for next week?",
				"Can I pick different recipes to the ones you chose for me?",
				"When does next week's menu come out?",
				"I can't see where to swap a recipe.",
				"Can I order two of the same recipe?",
				"What's the deadline to change my meals?",
			},
			details: []string{
				"I'd like the {recipe} instead.",
				"On the app, not the website.",
				"For my {day} box.",
			},
			asks: []string{
				"Sure. Which week's box is it for?",
				"I can help you swap. Which recipe would you like?",
			},
			solves: []string{
				"I've swapped in the {recipe} for your {day} box. You can change recipes in the app until midnight on Wednesday.",
				"The new menu goes live every Friday at noon; choose under Upcoming in the app.",
			},
			fails: []string{
				"The {recipe} has sold out for that week, sorry.",
			},
		},
		{ // dietary_requirements
			openers: []string{
				"Do you have {diet} options?",
				"Can I set my account to {diet} only?",
				"I'm {diet} now, can you make sure I only get suitable recipes?",
				"Are there enough {diet} meals each week to fill a box?",
				"My partner has gone {diet}, can we change our preferences?",
				"Is it possible to get a {diet} plan for the whole family?",
			},
			details: []string{
				"We'd like {diet} for every meal.",
				"Just for some of the recipes.",
				"I don't want the app picking meat dishes for me.",
			},
			asks: []string{
				"Of course. Should I set your preference to {diet} for every box?",
				"Happy to help. Is this for all meals or some?",
			},
			solves: []string{
				"I've set your preference to {diet}; we'll only pick suitable recipes for you from now on.",
				"There are at least six {diet} recipes every week. I've updated your preference so they're chosen by default.",
			},
			fails: []string{
				"We don't have enough {diet} recipes every week to guarantee a full box, I'm sorry.",
			},
		},
		{ // allergen_info
			openers: []string{
				"Does the {recipe} contain {allergen}?",
				"My son has a {allergen} allergy, which recipes are safe?",
				"Is your kitchen {allergen}-free?",
				"I reacted to something in last night's {recipe}, what allergens were in it?",
				"Can you tell me if the sauce in the {recipe} has {allergen} in it?",
				"Are the allergens listed anywhere? I can't find them on the recipe card.",
			},
			details: []string{
				"It's a serious allergy.",
				"He's only six.",
				"It's the {recipe} from this week's box.",
			},
			asks: []string{
				"Allergies are important, so let me check properly. Which recipe is it?",
				"Is this about a recipe in an upcoming box or one you've already had?",
			},
			solves: []string{
				"The {recipe} contains {allergen}. Every recipe card and the app list all 14 allergens, and I've added {allergen} to your account so we flag it.",
				"The {recipe} doesn't contain {allergen} as an ingredient, but it's packed where {allergen} is handled, so we can't guarantee it's free from traces.",
			},
			fails: []string{
				"I want to be sure, so I've asked our food safety team to confirm and they'll email you today. Please don't eat it until then.",
			},
		},
		{ // recipe_help
			openers: []string{
				"The recipe card for {recipe} is missing a step.",
				"How long should I cook {item} for?",
				"Can I freeze the {recipe} ingredients?",
				"The {recipe} instructions don't make sense, what do I do with {item}?",
				"Can I make the {recipe} without an oven?",
				"Can I swap {item} for something else in the {recipe}?",
			},
			details: []string{
				"Step 4 just stops.",
				"I only have a hob.",
				"We're cooking it tonight.",
			},
			asks: []string{
				"Happy to help. Which step are you on?",
				"Of course. Which recipe is it?",
			},
			solves: []string{
				"For the {recipe}, cook {item} for 8 to 10 minutes until piping hot. The full card is in the app under This Week.",
				"Yes, you can freeze the meat and the sauce on the day they arrive; the vegetables are best used fresh.",
			},
			fails: []string{
				"I'll ask our chefs and email you the answer tomorrow.",
			},
		},
		{ // packaging_recycling
			openers: []string{
				"How do I recycle the ice packs?",
				"Can I send the boxes back to you?",
				"Is your packaging recyclable?",
				"There's so much plastic in the box, what am I supposed to do with it?",
				"Do you collect the insulation liners?",
				"What can I do with the cool pouches?",
			},
			details: []string{
				"My council won't take them.",
				"I've got a stack of them now.",
				"I'd rather not bin them.",
			},
			asks: []string{
				"Good question. Which part of the packaging is it about?",
				"I can help. Is it the ice packs, the liners or the box?",
			},
			solves: []string{
				"The box goes in card recycling, the liners are home-compostable, and the ice packs can be emptied down the sink with the film recycled at supermarkets.",
				"You can return up to five liners with your next delivery; leave them in your empty box for the driver.",
			},
			fails: []string{
				"We don't collect packaging in your area yet.",
			},
		},
		{ // account_login
			openers: []string{
				"I can't log in to my account.",
				"I've forgotten my password and the reset email never arrives.",
				"The app keeps logging me out.",
				"It says my email isn't recognised when I try to sign in.",
				"Locked out of my account, help!",
				"I'm not getting the login code by text.",
			},
			details: []string{
				"I've tried three times.",
				"I checked my spam folder.",
				"On the iPhone app.",
			},
			asks: []string{
				"Let's get you back in. Is it the app or the website?",
				"Sorry about that. Have you tried a password reset today?",
			},
			solves: []string{
				"I've sent a new reset link that works for 30 minutes. Once you're in, you'll stay signed in on that device.",
				"Your account was locked after too many attempts. I've unlocked it, so you can sign in now.",
			},
			fails: []string{
				"Our login service is having issues. Please try again in an hour.",
			},
		},
		{ // app_problem
			openers: []string{
				"The app keeps crashing when I try to choose recipes.",
				"Your website won't let me check out.",
				"The app shows the wrong delivery date.",
				"I can't see my orders in the app since the update.",
				"The app is stuck on a loading screen.",
				"Buttons don't work on the website on my phone.",
			},
			details: []string{
				"I've deleted and reinstalled it.",
				"On Android.",
				"It's been like this since {when}.",
			},
			asks: []string{
				"Sorry about that. Which phone and app version are you using?",
				"Does it happen on the website as well as the app?",
			},
			solves: []string{
				"It's a known issue fixed in today's update; once you update the app it'll work again.",
				"I've reset your app session from our side, so please sign in again and it should load.",
			},
			fails: []string{
				"I've logged this with our tech team. In the meantime you can choose recipes on the website.",
				"I can't fix that from here, so I've raised it with the developers.",
			},
		},
		{ // delete_account
			openers: []string{
				"Please delete my account and all my data.",
				"I want you to erase my personal information.",
				"How do I permanently delete my account?",
				"Under GDPR I'm asking you to delete everything you hold about me.",
				"Remove my details from your system please.",
				"Can you close and delete my account, not just cancel?",
			},
			details: []string{
				"Everything, including my order history.",
				"I've already cancelled.",
				"Please confirm in writing.",
			},
			asks: []string{
				"I can start that. Have you already cancelled your subscription?",
				"Of course. Would you like a copy of your data before it's deleted?",
			},
			solves: []string{
				"I've submitted your erasure request. Your data will be deleted within 30 days and you'll get a confirmation email.",
			},
			fails: []string{
				"I can't delete an account with an open refund, so I've queued it for when the refund completes.",
			},
		},
		{ // other
			openers: []string{
				"Do you sell wine?",
				"Are you hiring delivery drivers?",
				"Can I visit your kitchen?",
				"hello?",
				"Do you deliver to Jersey?",
				"Is this the right number for the furniture shop?",
				"Can I buy just one box without a subscription?",
				"Who are your suppliers?",
			},
			details: []string{
				"Just wondering.",
				"Sorry, wrong number maybe.",
				"OK thanks.",
			},
			asks: []string{
				"Could you tell me a bit more about what you're looking for?",
				"I'm not sure I follow. What can I help with today?",
			},
			solves: []string{
				"We don't offer that, I'm afraid, but our Help Centre lists everything we do.",
				"Thanks for asking. That's not something we handle, but I've shared where to find out more.",
			},
			fails: []string{
				"I'm not able to help with that here.",
			},
		},
	}
}

// Vulnerability circumstances; the cues are sentences a customer adds to their message.
const (
	vulnNone = iota
	vulnBereavement
	vulnIllness
	vulnMoney
	vulnAccessibility
	numVuln
)

func vulnNames() []string {
	return []string{"", "bereavement", "illness", "financial_hardship", "accessibility"}
}

// commonText holds the wording shared by all intents.
type commonText struct {
	vulnCues        [numVuln][]string
	bereavementOpen []string // a bereaved relative cancelling the deceased customer's box
	politeOpen      []string
	politeClose     []string
	frustrated      []string
	angry           []string
	repeatPrefix    []string
	rephrase        []string

	botGreet    []string
	botClarify  []string
	botVerify   []string
	botHandoff  []string
	botGiveUp   []string
	botElse     []string
	botBye      []string
	botEmotion  []string // the bot's tone-deaf reply to an upset customer
	custBotFail []string // a customer walking away from the bot
	custWaiting []string // a customer left waiting in the queue

	agentGreetVoice []string
	recordingNotice []string
	agentGreetChat  []string
	agentGreetBare  []string
	agentVerify     []string
	agentVerified   []string
	empathy         []string
	empathyVuln     [numVuln][]string
	prohibited      []string
	transfer        []string
	agentElse       []string
	agentHold       []string
	custOK          []string
	botConfirm      []string
	custYes         []string
	custBye         []string
	followQ         []string
	followA         []string
	agentBye        []string
	agentByeBare    []string
	agentUnresolved []string

	custResolved   []string
	custUnresolved []string
	custNothing    []string
	custVerify     []string // answers to verification, with PII slots
	retort         []string // a customer told to calm down

	emailOpen  []string
	emailClose []string
	agentEmail []string
	socialAck  []string

	surveyGood    []string
	surveyOK      []string
	surveyBad     []string
	surveyBadBot  []string
	surveyBadWait []string
	surveyBadRude []string
}

func commonTexts() commonText {
	var c commonText
	c.vulnCues[vulnBereavement] = []string{
		"My husband passed away last month and I'm trying to sort everything out.",
		"My wife died recently and I'm struggling to keep on top of things.",
		"We lost my mum a few weeks ago.",
		"My dad passed away and this account was his.",
	}
	c.vulnCues[vulnIllness] = []string{
		"I've just come out of hospital.",
		"I'm having chemo at the moment and really struggling.",
		"I've been very unwell and haven't been able to cook.",
		"I'm recovering from an operation and can't get to the door quickly.",
		"I'm struggling with my mental health at the moment, please bear with me.",
	}
	c.vulnCues[vulnMoney] = []string{
		"I've lost my job and money is really tight.",
		"I can't afford much at the moment.",
		"I'm struggling to pay my bills this month.",
		"Things are really difficult financially right now.",
	}
	c.vulnCues[vulnAccessibility] = []string{
		"I'm partially sighted so I can't read the app very well.",
		"I'm deaf so I can't use the phone line.",
		"I have dyslexia, please keep replies short.",
		"I use a screen reader and your website doesn't work with it.",
	}
	c.bereavementOpen = []string{
		"My husband passed away last month, please cancel his box.",
		"My wife died recently. Can you please stop her deliveries?",
		"I'm writing on behalf of my father, who passed away two weeks ago. Please cancel his subscription.",
		"My mum has died and boxes are still arriving at her house. Please cancel them.",
		"My partner passed away suddenly and I need to close this account.",
	}
	c.politeOpen = []string{"Hi, ", "Hello, ", "Hi there, ", "Hiya, ", "Good morning, ", "Hello there. ", "Hey, "}
	c.politeClose = []string{" Thanks", " Thank you!", " Cheers", " Thanks in advance.", " Many thanks."}
	c.frustrated = []string{
		"Bit annoyed to be honest.", "Not ideal.", "This is the second week running.", "Please sort this quickly.",
		"I'm quite disappointed.", "Getting a bit fed up.",
	}
	c.angry = []string{
		"This is ridiculous.", "Absolutely unacceptable.", "I'm so fed up with this.", "Honestly, sort it out.",
		"Not good enough!", "I pay good money for this.", "Worst service I've had from anyone.",
	}
	c.repeatPrefix = []string{
		"This is the second time I've contacted you about this.",
		"I already spoke to someone about this and nothing's happened.",
		"I'm chasing this again.",
		"Following up on my previous message.",
		"Still not sorted from last time.",
		"I was told this would be fixed.",
	}
	c.rephrase = []string{
		"I just told you.", "No, that's not what I asked.", "Can I speak to a person please?",
		"agent", "human please", "That's not it.",
	}

	c.botGreet = []string{
		"Hi, I'm Hearthbot, an automated assistant for Hearth & Harvest. How can I help today?",
		"Hello! I'm Hearthbot, Hearth & Harvest's automated assistant. What can I help you with?",
		"Hi {first}, I'm Hearthbot, an automated assistant. Tell me what you need and I'll do my best to help.",
	}
	c.botClarify = []string{
		"Sorry, I didn't quite understand that. Could you say it another way?",
		"I'm not sure I've got that right. Is this about a delivery, a payment or your subscription?",
		"Hmm, I didn't catch that. Could you tell me in a few words what you need?",
	}
	c.botVerify = []string{
		"I can see you're signed in as {first}.",
		"I've found your account.",
		"Thanks {first}.",
	}
	c.botHandoff = []string{
		"I'll pass you to a member of our {team} team who can help with this. Please hold on.",
		"This needs one of my human colleagues. I'm transferring you now; the current wait is about {wait} minutes.",
		"Let me get a person to help you with that. Someone from the {team} team will join shortly.",
	}
	c.botGiveUp = []string{
		"Sorry, I can't help with that here. You'll find more in our Help Centre.",
		"I'm afraid that's not something I can do. Please try our Help Centre.",
	}
	c.botElse = []string{"Is there anything else I can help with?", "Can I help with anything else today?"}
	c.botBye = []string{
		"Thanks for chatting with Hearthbot. Have a lovely day!",
		"Glad I could help. Enjoy your cooking!",
	}
	c.botEmotion = []string{
		"I understand. Here are some options for your subscription.",
		"Thanks for letting me know. I can help you manage your account.",
	}
	c.custBotFail = []string{"useless", "Forget it.", "This bot is a waste of time.", "I'll ring instead.", "never mind"}
	c.custWaiting = []string{"hello? is anyone there?", "Still waiting...", "How long is this going to take?", "I can't wait any longer."}

	c.agentGreetVoice = []string{
		"Good {daypart}, you're through to Hearth & Harvest, {agent} speaking.",
		"Hello, Hearth & Harvest customer care, my name's {agent}.",
		"Hi, thanks for calling Hearth & Harvest, it's {agent} here.",
	}
	c.recordingNotice = []string{
		"This call may be recorded for training and quality purposes.",
		"Just to let you know, calls are recorded for quality and training.",
	}
	c.agentGreetChat = []string{
		"Hi {first}, this is {agent} from the {team} team. I've read through your chat so far.",
		"Hi {first}, you're chatting with {agent} at Hearth & Harvest.",
		"Hello {first}, {agent} here from Hearth & Harvest. Thanks for waiting.",
	}
	c.agentGreetBare = []string{"Yes?", "Go on.", "What's the order number?", "OK, what's the problem?"}
	c.agentVerify = []string{
		"Can I take your full name and postcode, please?",
		"For security, could you confirm your date of birth?",
		"Could you confirm the email address on the account?",
		"What's the phone number on the account, please?",
	}
	c.agentVerified = []string{
		"I can see your account here, {first}.",
		"I've got your account up.",
		"Thanks {first}, I've found you.",
	}
	c.empathy = []string{
		"I'm really sorry about that, I can understand how frustrating it is.",
		"Oh no, I'm so sorry to hear that.",
		"That's not the experience we want you to have, and I'm sorry.",
		"I completely understand, and I'm sorry you've had to get in touch about this.",
		"I'm sorry, that must be really annoying.",
	}
	c.empathyVuln[vulnBereavement] = []string{
		"I'm so sorry for your loss. I'll take care of this for you; there's nothing else you need to do.",
		"I'm very sorry to hear that. Please don't worry, I'll sort everything out for you.",
	}
	c.empathyVuln[vulnIllness] = []string{
		"I'm sorry you're unwell. Let's make this as easy as possible for you.",
		"Thank you for telling me. Take your time, there's no rush.",
	}
	c.empathyVuln[vulnMoney] = []string{
		"I understand things are tight at the moment. Let's see what we can do to help.",
		"Thanks for telling me. There are a few options that could make this easier.",
	}
	c.empathyVuln[vulnAccessibility] = []string{
		"Thanks for letting me know. I'll keep this simple, and you can reply by chat or email whenever suits you.",
		"Of course. I'll keep my messages short and clear.",
	}
	c.prohibited = []string{
		"Calm down, there's no need to shout.",
		"That's not my problem, you'll have to take it up with the courier.",
		"There's nothing I can do about it.",
		"You should have read the terms and conditions.",
		"I don't make the rules.",
	}
	c.transfer = []string{
		"That's one for our {team} team, I'll transfer you now.",
		"I'll need to put you through to {team}, one moment.",
	}
	c.agentHold = []string{
		"Let me just check that for you.",
		"Bear with me one moment while I look.",
		"One second, I'm just pulling that up.",
		"Thanks, give me a moment.",
	}
	c.custOK = []string{"OK.", "Sure.", "No problem.", "Thanks.", "OK, thank you."}
	c.botConfirm = []string{
		"Would you like me to go ahead?",
		"Shall I do that for you now?",
		"Just to confirm, is that right?",
	}
	c.followQ = []string{
		"Will I get an email to confirm?",
		"And that won't affect my next box?",
		"Do I need to do anything else?",
		"How will I know it's done?",
	}
	c.followA = []string{
		"Yes, you'll get a confirmation email in the next few minutes.",
		"Nothing else to do; your next box is unaffected.",
		"No, that's everything. It's all updated on your account.",
	}
	c.custBye = []string{"Bye.", "Thanks, bye.", "Cheers, bye now.", "You too, bye.", "Thank you, bye bye."}
	c.custYes = []string{"Yes please.", "Yes.", "Yep, go ahead.", "That's right, thanks.", "yes"}
	c.agentElse = []string{
		"Is there anything else I can help you with today?",
		"Anything else I can do for you?",
	}
	c.agentBye = []string{
		"Thanks for contacting Hearth & Harvest, have a lovely day.",
		"Take care, {first}. Enjoy your meals.",
		"Thanks {first}, bye for now.",
	}
	c.agentByeBare = []string{"OK bye.", "Right.", "Bye."}
	c.agentUnresolved = []string{
		"I'm sorry I couldn't sort that today. I've raised a ticket and the team will email you within 48 hours.",
		"I've escalated it to my manager, who'll call you back.",
		"I'm sorry, that's as far as I can take it today.",
	}

	c.custResolved = []string{
		"That's all sorted now, thanks.",
		"Perfect, thank you so much.",
		"Great, that's brilliant, thanks for your help.",
		"Lovely, cheers.",
		"Thanks, that's fixed it.",
		"Brilliant, all done then.",
		"Great, thank you!",
	}
	c.custUnresolved = []string{
		"I'll have to call back then.",
		"So it's still not sorted?",
		"That doesn't help me at all.",
		"Fine. I'll wait for the email but I'm not happy.",
		"This is going nowhere, I'll try again tomorrow.",
		"So I'm still without my money.",
		"That's not good enough, but OK.",
	}
	c.custNothing = []string{"No, that's everything.", "No thanks, bye.", "That's all, thanks.", "Nope, all good."}
	c.custVerify = []string{
		"{fullname}, {postcode}",
		"It's {fullname}, postcode {postcode}.",
		"{dob}",
		"My date of birth is {dob}.",
		"{email}",
		"It's {email}",
		"{phone}",
		"The number is {phone}.",
	}

	c.retort = []string{
		"Excuse me? Don't talk to me like that.",
		"I'm not shouting, I'm upset.",
		"Wow. Really helpful.",
		"I want to speak to your manager.",
	}
	c.emailOpen = []string{"Hi,", "Hello,", "Dear Hearth & Harvest,", "Hi team,", "To whom it may concern,"}
	c.emailClose = []string{"Thanks", "Kind regards", "Best wishes", "Regards", "Thanks in advance"}
	c.agentEmail = []string{"Best wishes", "Kind regards", "Many thanks"}
	c.socialAck = []string{
		"Hi {first}, sorry to hear this. Could you send us a DM with your order details and we'll take a look? ^{agent}",
		"Hi {first}, {agent} here. Please DM us so we can sort this out for you.",
	}

	c.surveyGood = []string{
		"Quick and easy, thanks!", "{agent} was lovely and sorted it straight away.", "Really helpful.",
		"Sorted in minutes.", "Great service as always.", "Very friendly and efficient.",
	}
	c.surveyOK = []string{"Fine.", "Took a while but got there.", "OK I suppose.", "Sorted eventually."}
	c.surveyBad = []string{
		"Still not sorted.", "Had to explain myself three times.", "Nobody actually fixed anything.",
		"Still waiting for my refund.", "I'm thinking of cancelling.", "Very disappointing.",
	}
	c.surveyBadBot = []string{
		"The bot was useless, I just wanted a person.", "Chatbot went round in circles.",
		"The automated assistant didn't understand me.",
	}
	c.surveyBadWait = []string{"Waited ages on hold.", "Far too long to get an answer.", "Took days to reply."}
	c.surveyBadRude = []string{"The agent was rude.", "Agent was dismissive and unhelpful.", "I was spoken to like a child."}
	return c
}

// Reference lists used to fill slots.
func firstNames() []string {
	return []string{
		"Olivia", "Amelia", "Isla", "Ava", "Mia", "Grace", "Sophie", "Emily", "Charlotte", "Lucy", "Hannah", "Chloe",
		"Ella", "Freya", "Poppy", "Ruby", "Evie", "Jessica", "Megan", "Rebecca", "Sarah", "Laura", "Rachel", "Claire",
		"Joanne", "Nicola", "Helen", "Karen", "Susan", "Margaret", "Aisha", "Priya", "Anjali", "Fatima", "Zara",
		"Amira", "Sana", "Ayesha", "Nadia", "Leila", "Siobhan", "Niamh", "Aoife", "Ciara", "Catriona", "Eilidh",
		"Morag", "Rhiannon", "Cerys", "Seren", "Bethan", "Agnieszka", "Katarzyna", "Magdalena", "Ana", "Beatriz",
		"Chiamaka", "Ngozi", "Adaeze", "Yetunde", "Mei", "Xin", "Lina", "Elif", "Maryam", "Hodan", "Shanice",
		"Keisha", "Jade", "Natasha", "Oliver", "George", "Harry", "Jack", "Jacob", "Noah", "Charlie", "Thomas",
		"Oscar", "William", "James", "Daniel", "Matthew", "Luke", "Samuel", "Joseph", "David", "Michael", "Paul",
		"Mark", "Stephen", "Andrew", "Richard", "Gareth", "Rhys", "Dylan", "Owain", "Callum", "Euan", "Fraser",
		"Hamish", "Ruaridh", "Sean", "Ciaran", "Padraig", "Declan", "Mohammed", "Ahmed", "Omar", "Ali", "Yusuf",
		"Imran", "Arjun", "Rohan", "Vikram", "Sanjay", "Raj", "Harpreet", "Jaspreet", "Tomasz", "Piotr", "Marek",
		"Joao", "Tiago", "Luca", "Marco", "Chinedu", "Emeka", "Oluwaseun", "Kwame", "Kofi", "Wei", "Jun", "Hao",
		"Mehmet", "Emre", "Abdi", "Tyrone", "Marcus", "Jerome", "Nathan", "Kieran", "Liam", "Ethan", "Alfie",
	}
}

func lastNames() []string {
	return []string{
		"Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson", "Roberts",
		"Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall", "Lewis", "Harris",
		"Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore",
		"Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson",
		"Davis", "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter",
		"Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox", "Richards", "Khan", "Marshall",
		"Anderson", "Simpson", "Ellis", "Adams", "Singh", "Begum", "Wilkinson", "Foster", "Chapman", "Powell",
		"Webb", "Rogers", "Gray", "Mason", "Ali", "Hussain", "Campbell", "Matthews", "Owen", "Palmer", "Holmes",
		"Mills", "Barnes", "Knight", "Lloyd", "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins",
		"Murray", "Dixon", "Harvey", "Graham", "Pearson", "Ahmed", "Fletcher", "Walsh", "Kaur", "Gibson", "Howard",
		"Andrews", "Stewart", "Elliott", "Reynolds", "Saunders", "Payne", "Fox", "Ford", "Pearce", "Day", "Brooks",
		"MacDonald", "MacLeod", "Fraser", "Sutherland", "Morrison", "Reid", "Ross", "Paterson", "O'Brien",
		"O'Connor", "Byrne", "Doyle", "McCarthy", "Gallagher", "Quinn", "Rees", "Llewellyn", "Pritchard", "Vaughan",
		"Kowalski", "Nowak", "Wisniewski", "Silva", "Santos", "Ferreira", "Rossi", "Bianchi", "Okafor", "Adeyemi",
		"Okonkwo", "Mensah", "Asante", "Chen", "Wang", "Li", "Zhang", "Nguyen", "Yilmaz", "Demir", "Mohamed",
		"Hassan", "Farah", "Chowdhury", "Rahman", "Sharma", "Gupta", "Mistry", "Chauhan", "Campbell-Brown",
	}
}

func recipes() []string {
	return []string{
		"Sticky Gochujang Salmon", "Chicken Katsu Curry", "Lamb Kofta Flatbreads", "Smoky Bean Chilli",
		"Halloumi Traybake", "Thai Green Curry", "Creamy Mushroom Risotto", "Beef Ragu Pappardelle",
		"Cajun Chicken Rice Bowl", "Miso Aubergine Noodles", "Fish Pie with Crispy Leeks", "Chickpea and Spinach Dal",
		"Pork Banh Mi Bowl", "Harissa Chicken Couscous", "Sweet Potato Katsu", "Teriyaki Tofu Stir-Fry",
		"Steak with Chimichurri", "Shepherd's Pie", "Prawn Linguine", "Jerk Chicken with Rice and Peas",
		"Paneer Tikka Masala", "Pesto Gnocchi Bake", "Cod with Salsa Verde", "Hoisin Duck Pancakes",
		"Chorizo and Bean Stew", "Korean Beef Bulgogi", "Feta and Spinach Filo Pie", "Moroccan Lamb Tagine",
	}
}

func items() []string {
	return []string{
		"the chicken thighs", "the salmon fillets", "the spinach", "the coconut milk", "the rice", "the halloumi",
		"the beef mince", "the garlic", "the limes", "the red onion", "the sauce pot", "the spice blend",
		"the naan breads", "the feta", "the cod fillets", "the tortillas", "the pak choi", "the eggs", "the chorizo",
		"the crème fraîche", "the gnocchi", "the tofu", "the paneer", "the prawns", "the mushrooms", "the stock pot",
		"the lamb mince", "the noodles", "the pesto", "the sweet potatoes", "the double cream", "the duck legs",
	}
}

func diets() []string {
	return []string{"vegetarian", "vegan", "pescatarian", "gluten-free", "dairy-free", "low-calorie", "halal"}
}

func allergens() []string {
	return []string{"peanuts", "sesame", "gluten", "milk", "egg", "mustard", "celery", "soya", "shellfish", "tree nuts"}
}

func promoCodes() []string {
	return []string{"HEARTH20", "HARVEST50", "WELCOME40", "AUTUMN15", "FRIEND20", "COSY25", "FREEBOX"}
}

func weekdayNames() []string {
	return []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
}
