// Package corpus makes decision texts that read like a team's real ones,
// for benchmarks and the load tool: a verb, a technology or practice, an
// area, and a sentence of why. Common words recur as they would in a real
// log ("use", "for", "the"), so search and "did we already decide this?"
// work on a realistic spread of matches rather than on unique gibberish.
// It imports only the standard library.
package corpus

import (
	"fmt"
	"math/rand/v2"
)

var (
	verbs = []string{"Use", "Adopt", "Drop", "Keep", "Move to", "Split", "Freeze", "Ship", "Require", "Deprecate",
		"Replace", "Standardise on", "Pilot", "Retire", "Introduce", "Limit"}
	objects = []string{"PostgreSQL", "Kafka", "gRPC", "GraphQL", "semver", "feature flags", "trunk-based development",
		"Terraform", "Kubernetes", "Redis", "OpenTelemetry", "SSO", "code owners", "two reviewers", "weekly releases",
		"canary deploys", "the monorepo", "TypeScript", "Go modules", "blue-green deploys", "rate limits",
		"API versioning", "OAuth scopes", "error budgets", "on-call rotations", "design docs", "RFCs", "dark launches",
		"S3 lifecycle rules", "read replicas", "ClickHouse", "Snowflake", "dbt", "Airflow", "Sentry", "PagerDuty",
		"Datadog", "Grafana", "Prometheus", "Envoy", "Istio", "Vault", "SOPS", "Renovate", "Dependabot", "Bazel",
		"pnpm", "React Native", "Flutter", "SwiftUI", "Jetpack Compose", "WebSockets", "server-sent events",
		"idempotency keys", "outbox tables", "event sourcing", "CQRS", "contract tests", "load tests", "chaos drills"}
	areas = []string{"billing", "search", "the mobile app", "onboarding", "payments", "the data platform", "auth",
		"notifications", "the public API", "internal tools", "analytics", "the web client", "infrastructure",
		"support tooling", "reporting", "checkout", "the admin console", "identity", "messaging", "the partner API",
		"fraud detection", "pricing", "recommendations", "the warehouse", "compliance"}
	reasons = []string{
		"Agreed after the review because it cuts toil and keeps %s predictable.",
		"The incident last quarter showed that %s needs a safer default.",
		"This lets %s ship smaller changes with less coordination.",
		"Costs were growing faster than usage in %s; this brings them back in line.",
		"Two teams already do this in %s and it works; everyone else follows.",
		"Customers of %s asked for it repeatedly, and the risk is low.",
		"We tried the alternative in %s for a month and it slowed reviews down.",
		"Security asked for it after the audit of %s.",
	}
)

// Title is a decision title; n keeps it unique within a run ("#n" is a
// token no other title shares).
func Title(rng *rand.Rand, n int) string {
	return fmt.Sprintf("%s %s for %s (#%d)", pick(rng, verbs), pick(rng, objects), pick(rng, areas), n)
}

// Reason is one sentence of rationale.
func Reason(rng *rand.Rand) string {
	return fmt.Sprintf(pick(rng, reasons), pick(rng, areas))
}

// Query is a two-word search a person might type: a technology and an
// area, each word likely to appear in many decisions.
func Query(rng *rand.Rand) string {
	return pick(rng, objects) + " " + pick(rng, areas)
}

func pick(rng *rand.Rand, words []string) string { return words[rng.IntN(len(words))] }

// similar is the small vocabulary of SimilarTitle: 3 verbs, 6 things and 4
// areas, 72 combinations in all, so among thousands of titles each shares
// most of its words with hundreds of others.
var similar = struct{ verbs, objects, areas []string }{
	verbs:   []string{"Adopt", "Use", "Prefer"},
	objects: []string{"Kafka", "PostgreSQL", "Redis", "gRPC", "feature flags", "canary deploys"},
	areas:   []string{"billing", "search", "payments", "onboarding"},
}

// SimilarTitle is a decision title of the "Adopt X for Y" kind from a small
// vocabulary, so that titles resemble each other as closely as a busy
// team's might and "did we already decide this?" finds many near-matches
// for every one; n keeps it unique ("#n" is a token no other title shares).
func SimilarTitle(rng *rand.Rand, n int) string {
	return fmt.Sprintf("%s %s for %s (#%d)", pick(rng, similar.verbs), pick(rng, similar.objects), pick(rng, similar.areas), n)
}
