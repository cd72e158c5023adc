package rituals

// PulseTemplates are the playbook's pulse questions, ready to send: its
// week-0 question, the clarity of top priorities, what "done" means to
// engineers, PMs and ops, decision rights and the top misalignments.
var PulseTemplates = []PulseInput{
	{
		Question:  "If we shipped nothing for 30 days, which projects would we miss most?",
		Kind:      PulseText,
		Audience:  AudienceChannel,
		Anonymous: true,
	},
	{
		Question:    "How clear are our top priorities this week?",
		Kind:        PulseScale,
		ScaleLabels: "Not clear at all\nCrystal clear",
		Audience:    AudienceChannel,
		Anonymous:   true,
	},
	{
		Question:  "When you say a piece of work is “done”, what has happened?",
		Kind:      PulseChoice,
		Choices:   "The code is merged\nIt is deployed to production\nCustomers can use it\nIts success metric has moved",
		Audience:  AudienceChannel,
		Anonymous: true,
	},
	{
		Question:  "Do you know who decides the things that affect your work this week?",
		Kind:      PulseYesNo,
		Audience:  AudienceChannel,
		Anonymous: true,
	},
	{
		Question:  "Where do our teams disagree most about priorities right now?",
		Kind:      PulseText,
		Audience:  AudienceChannel,
		Anonymous: true,
	},
}
