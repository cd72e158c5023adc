// Package layout holds no code: its test checks the import rules of
// STYLE.md (the dependency star around rituals) with `go list`, so a
// package that reaches across a seam fails the build's tests, not a review.
package layout
