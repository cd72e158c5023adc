// A minimal Bolt for JavaScript app doing /decide's work the way a typical
// Bolt app would, as a peer for bench/load (-peer bolt): it acks each
// command at once, then records the decision with one INSERT into SQLite
// (WAL) and writes a JSON log line the load tool counts as a completion.
//
// It reads SLACK_BOT_TOKEN, SLACK_APP_TOKEN, SLACK_API_URL (the fake
// Slack's Web API, ending in /api/) and BOLT_DB (the SQLite file).
'use strict';

const { App, LogLevel, SocketModeReceiver } = require('@slack/bolt');
const Database = require('better-sqlite3');

const slackApiUrl = process.env.SLACK_API_URL;
const clientOptions = slackApiUrl ? { slackApiUrl } : {};

const db = new Database(process.env.BOLT_DB || 'bolt.db');
db.pragma('journal_mode = WAL');
db.exec(`CREATE TABLE IF NOT EXISTS decisions (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  user_id TEXT NOT NULL,
  channel_id TEXT NOT NULL,
  decided_at TEXT NOT NULL
)`);
const insert = db.prepare('INSERT INTO decisions (title, user_id, channel_id, decided_at) VALUES (?, ?, ?, ?)');

// The receiver is built here rather than by `socketMode: true` so that the
// envelope ID reaches the handler (as context.envelopeId), for the load
// tool to match completions to what it sent. Its Socket Mode client talks
// to the same Web API as the app's own client.
const receiver = new SocketModeReceiver({
  appToken: process.env.SLACK_APP_TOKEN,
  logLevel: LogLevel.WARN,
  installerOptions: { clientOptions },
  customPropertiesExtractor: (args) => ({ envelopeId: args.envelope_id }),
});

const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  receiver,
  clientOptions,
  logLevel: LogLevel.WARN,
});

function log(fields) {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'INFO', ...fields })}\n`);
}

app.command('/decide', async ({ command, ack, context }) => {
  await ack();
  const row = insert.run(command.text, command.user_id, command.channel_id, new Date().toISOString());
  log({ msg: 'decision recorded', envelope_id: context.envelopeId, decision: Number(row.lastInsertRowid) });
});

process.on('SIGTERM', async () => {
  await app.stop();
  db.close();
  process.exit(0);
});

(async () => {
  await app.start();
  log({ msg: 'bolt app ready' });
})();
