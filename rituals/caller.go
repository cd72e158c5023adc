package rituals

import "time"

// Caller is who asked for something, where, and under which request. Every
// use case takes one; the edge fills it from the Slack payload.
type Caller struct {
	Team    string
	User    string
	Channel string
	// Location is the caller's time zone, used for "today" and due dates.
	Location *time.Location
	// Admin is true for the operators named in ALIGNBOT_ADMINS;
	// AdminsOnly is true when that list is set, so only they may change
	// a channel's rituals and the team's settings.
	Admin      bool
	AdminsOnly bool
	// ChannelPrivate is true when Channel is private (or unknown): what is
	// recorded there is never shown elsewhere.
	ChannelPrivate bool
	// RequestID identifies the delivery that caused this call (envelope or
	// event ID). Writes record it so a redelivery changes nothing twice.
	RequestID string
}

// Today returns the calendar date of t in the caller's time zone.
func (c Caller) Today(t time.Time) Date {
	loc := c.Location
	if loc == nil {
		loc = time.UTC
	}
	return DateOf(t.In(loc))
}

// MaySetUp reports whether the caller may change shared settings:
// anyone, unless ALIGNBOT_ADMINS is set; then only its admins.
func (c Caller) MaySetUp() bool { return c.Admin || !c.AdminsOnly }
