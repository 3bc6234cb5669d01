// The console page's client: plain JavaScript without a build step. Answers come from the server
// as the Slack message (already escaped HTML) and the Teams Adaptive Card (JSON), which the
// official adaptivecards renderer, served beside this file, turns into the card Teams shows.
/* global AdaptiveCards */

const csrf = document.querySelector('meta[name="csrf-token"]').getAttribute('content');
const log = document.getElementById('log');
const composer = document.getElementById('composer');
const question = document.getElementById('question');
/** How often the page asks for new digests of its subscriptions. */
const DIGEST_POLL_MS = 5000;
let lastDigest = 0;

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function scrollToEnd() {
  window.scrollTo(0, document.body.scrollHeight);
}

/** The Teams card, rendered by adaptivecards with its default class names; its buttons ask their question. */
function teamsCard(payload) {
  const card = new AdaptiveCards.AdaptiveCard();
  card.hostConfig = new AdaptiveCards.HostConfig({ fontFamily: 'Segoe UI, system-ui, sans-serif' });
  card.onExecuteAction = (action) => {
    if (action instanceof AdaptiveCards.OpenUrlAction) {
      window.open(action.url, '_blank', 'noopener,noreferrer');
      return;
    }
    const data = action instanceof AdaptiveCards.SubmitAction ? action.data : undefined;
    if (data && data.threatbrief === 'choice' && typeof data.command === 'string') ask(data.command);
  };
  card.parse(payload);
  return card.render();
}

/** One answer side by side: the Slack message and the Teams card. */
function answerPair(rendered) {
  const pair = element('div', 'pair');
  const slack = element('section', 'pane slack');
  slack.append(element('h2', 'pane-title', 'Slack'));
  const message = element('div', 'slack-body');
  // The server escaped every text in this HTML (adapters/console/block-kit-html.ts).
  message.innerHTML = rendered.slackHtml;
  slack.append(message);
  const teams = element('section', 'pane teams');
  teams.append(element('h2', 'pane-title', 'Teams'));
  const host = element('div', 'teams-body');
  const card = teamsCard(rendered.card);
  if (card) host.append(card);
  teams.append(host);
  pair.append(slack, teams);
  return pair;
}

function turn(label, className) {
  const item = element('li', `turn ${className}`);
  item.append(element('div', 'you', label));
  log.append(item);
  return item;
}

async function call(url, options) {
  const response = await fetch(url, { ...options, headers: { accept: 'application/json', ...(options?.headers ?? {}) } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || `the server answered ${response.status}`);
  return body;
}

let busy = false;

async function ask(text) {
  const asked = text.trim();
  if (!asked || busy) return;
  busy = true;
  composer.querySelector('button').disabled = true;
  const item = turn(asked, 'question');
  const waiting = element('p', 'waiting', 'Answering…');
  item.append(waiting);
  scrollToEnd();
  try {
    const rendered = await call('/console/ask', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify({ text: asked }),
    });
    waiting.replaceWith(answerPair(rendered));
  } catch (err) {
    waiting.replaceWith(element('p', 'error', `Could not get an answer: ${err.message}`));
  } finally {
    busy = false;
    composer.querySelector('button').disabled = false;
    scrollToEnd();
  }
}

async function fetchDigests() {
  try {
    const { digests } = await call(`/console/digests?after=${lastDigest}`);
    for (const digest of digests) {
      lastDigest = Math.max(lastDigest, digest.id);
      const item = turn(`Digest delivered ${digest.sentAt ?? ''}`, 'digest');
      item.append(answerPair(digest));
    }
    if (digests.length > 0) scrollToEnd();
  } catch (err) {
    console.warn('could not fetch digests', err);
  }
}

composer.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = question.value;
  question.value = '';
  ask(text);
});

question.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    composer.requestSubmit();
  }
});

// Slack's choice buttons ask the question they carry, as they do in Slack.
log.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-command]');
  if (button) ask(button.dataset.command);
});

fetchDigests();
setInterval(fetchDigests, DIGEST_POLL_MS);
question.focus();
