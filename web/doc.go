// Package web is the decision log on the web: a read-only site of the
// decisions recorded in public channels, served by alignbot on
// ALIGNBOT_WEB_ADDR and written as static files by `alignbot export site`.
//
// It owns the site's pages (server-rendered html/template, one
// stylesheet), its Atom feeds, its JSON API, the static export with its
// prebuilt search index, and the shared-token gate. It reads decisions
// through Store, its own narrow port, which storage.DB implements. It
// imports rituals and the standard library only: no Slack, no SQL.
package web
