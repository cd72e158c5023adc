// Package layout holds no code: its tests check the import rules of
// STYLE.md (the dependency star around rituals) with `go list`, and that
// *bot.Bot stays small, so a package that reaches across a seam, or a
// feature that piles onto the edge, fails the build's tests, not a review.
package layout
