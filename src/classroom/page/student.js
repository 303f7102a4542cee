/* global document, location, localStorage, EventSource, URLSearchParams */
// The student's page: join with the seat's code (the seat's secret is kept in
// localStorage, so a reload rejoins the same state), then one move per round: a level
// for each issue area, sent once with "Send my choices".
import { api, el, fmt, LEVEL_COLORS, LEVEL_NAMES } from '/common.js';

const KEY = 'migov-classroom-secret';
const app = document.getElementById('app');
const errorBox = document.getElementById('error');
let secret = localStorage.getItem(KEY);
let view = null;
let choice = [];
let events = null;

function showError(e) {
  errorBox.textContent = e ? String(e.message ?? e) : '';
}

async function join(code) {
  try {
    const r = await api('/api/join', { method: 'POST', body: { code } });
    secret = r.secret;
    localStorage.setItem(KEY, secret);
    showError(null);
    start();
  } catch (e) {
    showError(e);
  }
}

async function refresh() {
  try {
    const v = await api('/api/student', { token: secret });
    if (!view || v.round !== view.round) choice = v.games.map(() => null);
    view = v;
    render();
  } catch (e) {
    if (String(e.message).includes('no seat')) {
      localStorage.removeItem(KEY);
      secret = null;
      events?.close();
      showJoin();
    }
    showError(e);
  }
}

function start() {
  document.getElementById('join').hidden = true;
  events?.close();
  events = new EventSource(`/api/events?secret=${encodeURIComponent(secret)}`);
  events.onmessage = () => refresh();
  refresh();
}

function showJoin() {
  app.replaceChildren();
  document.getElementById('join').hidden = false;
}

function render() {
  const v = view;
  const i = v.info;
  const who = el('div', { class: 'card', id: 'who' },
    el('div', {}, el('strong', {}, `You are ${i.name}`), ` (seat ${v.seat + 1})`),
    el('div', {}, `Main role: ${i.role}; region ${i.region}; capacity ${fmt(i.capacity)}`),
    el('div', { class: 'muted' }, `Role mix: origin ${fmt(i.roleWeights[0])}, transit ${fmt(i.roleWeights[1])}, destination ${fmt(i.roleWeights[2])}`));
  const status = v.ended ? 'The game has ended. Look at the teacher\'s screen for the debrief.' : v.moved ? `Round ${v.round} of ${v.rounds}: your choices are in. Waiting for the others...` : `Round ${v.round} of ${v.rounds}: choose a level in each issue area.`;
  const parts = [who, el('p', { id: 'status' }, el('strong', {}, status), v.paused && !v.ended ? ' (paused by the teacher)' : '')];
  if (v.crisis && !v.ended) {
    const c = v.crisis;
    const yours = c.region === i.region;
    parts.push(el('p', { id: 'crisis', class: yours ? 'crisis-banner hit' : 'crisis-banner' }, `Crisis in ${c.issueArea}, region ${c.region}, rounds ${c.round} to ${c.until}: ${yours ? 'your region is hit, your stakes in it are doubled' : 'the need there is doubled'}.`));
  }
  if (v.chosen) parts.push(el('p', { id: 'chosen' }, `You chose: ${v.games.map((g, gi) => `${g} ${v.chosen[gi]}`).join(', ')}.`));
  if (!v.ended && !v.moved) {
    const rows = v.games.map((g, gi) => el('div', { class: 'area' }, el('span', { class: 'name' }, g), el('span', { class: 'levels' }, v.levels.map((l) => {
      const on = choice[gi] === l;
      return el('button', { type: 'button', class: on ? 'on' : '', style: on ? `background:${LEVEL_COLORS[l] ?? '#333'}` : '', 'data-area': g, 'data-level': l, title: LEVEL_NAMES[l] ?? l, 'aria-pressed': on ? 'true' : 'false', onclick: () => { choice[gi] = l; render(); } }, l);
    }))));
    const ready = choice.every((c) => c !== null);
    parts.push(el('div', { class: 'card' }, rows, el('button', { type: 'button', id: 'send', disabled: !ready, onclick: send }, 'Send my choices')));
    parts.push(el('p', { class: 'muted' }, 'U: act alone. C: join your region\'s club. M: join the global regime. Your choice holds for this round.'));
  }
  if (v.last) {
    const l = v.last;
    parts.push(el('div', { class: 'card', id: 'last' }, el('h2', {}, `Last round (${l.round})`),
      el('table', {}, el('tr', {}, el('th', {}, 'area'), el('th', {}, 'you'), el('th', {}, 'payoff'), el('th', {}, 'all states U / C / M')),
        v.games.map((g, gi) => el('tr', {}, el('td', {}, g), el('td', {}, l.levels[gi]), el('td', {}, fmt(l.payoffs[gi])), el('td', {}, l.counts[gi].join(' / ')))))));
  }
  app.replaceChildren(...parts);
}

async function send() {
  try {
    view = await api('/api/move', { method: 'POST', token: secret, body: { round: view.round, levels: choice } });
    showError(null);
    render();
  } catch (e) {
    showError(e);
    refresh();
  }
}

document.getElementById('join-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  join(document.getElementById('code').value);
});
const fromUrl = new URLSearchParams(location.search).get('code');
if (secret) start();
else if (fromUrl) join(fromUrl);
else showJoin();
