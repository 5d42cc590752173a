// The article text of the seed page france24-putin-obama-2014-03-29.txt,
// copied here so that tests do not depend on files outside the repository.

package testsite

// france24Body is the article body of the seed page, one block a line;
// the block at france24SubheadIndex is an intertitle.
var france24Body = [...]string{
	"Russian President Vladimir Putin on Friday called US President Barack Obama to discuss a diplomatic resolution to the Ukraine crisis, shortly after Putin told the UN he has “no intention” to take further military action in the region.",
	"The hour-long conversation was reported by both the White House and the Kremlin, with Moscow saying Putin had suggested “examining possible steps the global community can take to help stabilise the situation.”",
	"It is believed to be the first direct conversation between Obama and Putin since the United States and its European allies began imposing sanctions on Putin’s inner circle and threatened to penalise key sectors of Russia’s economy.",
	"Putin called to discuss a US proposal put forward by US Secretary of State John Kerry to Russian Foreign Minister Sergei Lavrov earlier this week.",
	"A White House official, who wasn’t authorised to comment by name and demanded anonymity, said the plan was the old off-ramp roadmap that had been drafted before Russia annexed Crimea last week.",
	"“President Obama suggested that Russia put a concrete response in writing and the presidents agreed that Kerry and Lavrov would meet to discuss next steps,” the White House said.",
	"Kerry and Lavrov are due to meet in Paris for talks on Sunday.",
	"The United States has been pressing Russia to pull back its troops to their Crimean bases and agree to talks with the Ukrainian government with international mediation. International monitors would go into Ukraine to assure that the ethnic Russian minority there is safe.",
	"In a statement posted on its website, the Kremlin said Putin had cited the Russian justification for its actions toward Ukraine, which has centered on concern for Russian speakers there since the overthrow in February of Ukraine’s pro-Russian president.",
	"The new Ukrainian government and the West, meanwhile, have voiced concerns about a possible invasion as Russia builds up its troops near the border with Ukraine. Putin has warned that Russia could use “all means” to protect people in Ukraine from radical nationalists.",
	"Russian troops directly involved in Crimea",
	"On Friday, Putin confirmed for the first time that his forces were directly involved in Crimea – the initial step of what the new pro-Western leaders in Kiev fear is a plan to annex an even greater part of Ukraine.",
	"However, United Nations Secretary General Ban Ki-moon said Putin had assured him Russia was not planning further military action in the region.",
	"Ban said Putin told him \"he had no intention to make any military move.\"",
	"Obama and European leaders this week piled pressure on Russia to de-escalate the Ukraine crisis in a peaceful way. In a speech on Wednesday in Brussels, Obama built his case for sanctions against parts of the Russian economy such as the energy industry and said NATO would bolster its presence in the alliance’s member nations close to Russia.",
	"The White House said Obama stressed to Putin that the United States continues to support a diplomatic path in close consultation with the Ukrainian government.",
	"“President Obama made clear that this remains possible only if Russia pulls back its troops and does not take any steps to further violate Ukraine’s territorial integrity and sovereignty,” the White House said.",
	"The Crimean Peninsula, where ethnic Russians are a majority, voted this month to secede from Ukraine before Russia formally annexed it, a move that Western countries have denounced as illegitimate.",
}
