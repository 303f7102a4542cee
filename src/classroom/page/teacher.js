/* global document, location, EventSource, URLSearchParams, confirm */
// The teacher's page: the board (who has moved), the level counts per issue area over
// rounds (a chart from src/charts, rendered by the server), the controls (pause,
// advance, fire a crisis, end) and, at the end, the debrief. The teacher token comes from the URL's
// #fragment and is sent only to this origin.
import { api, el, fmt } from '/common.js';

const token = new URLSearchParams(location.hash.slice(1)).get('t') ?? '';
const app = document.getElementById('app');
const errorBox = document.getElementById('error');
let view = null;
let debrief = null;
// the crisis form's choices, kept across the page's re-renders
const crisisChoice = { area: null, region: '0', duration: '5' };

function showError(e) {
  errorBox.textContent = e ? String(e.message ?? e) : '';
}

async function act(path, body) {
  try {
    view = await api(`/api/teacher/${path}`, { method: 'POST', token, body: body ?? {} });
    showError(null);
    await refresh();
  } catch (e) {
    showError(e);
  }
}

async function refresh() {
  try {
    view = await api('/api/teacher', { token });
    if (view.ended && !debrief) debrief = await api('/api/teacher/debrief', { token });
    render();
  } catch (e) {
    showError(e);
  }
}

function chartImg(which, round) {
  const crises = (view?.events ?? []).length;
  return el('img', { src: `/api/teacher/chart.svg?which=${which}&r=${round}&e=${crises}&teacher=${encodeURIComponent(token)}`, alt: `level counts over rounds (${which})` });
}

function render() {
  const v = view;
  const moved = v.seats.filter((s) => s.moved).length;
  const connected = v.seats.filter((s) => s.connected).length;
  const head = el('p', { id: 'status' }, el('strong', {}, v.ended ? `Ended after ${v.roundsRun} rounds.` : `Round ${v.round} of ${v.rounds}`), v.paused ? ' (paused)' : '', ` ${moved} of ${connected} connected students have moved.`);
  const controls = el('div', { class: 'controls' },
    el('button', { id: 'pause', disabled: v.ended, onclick: () => act('pause', { paused: !v.paused }) }, v.paused ? 'Resume' : 'Pause'),
    el('button', { id: 'advance', disabled: v.ended, onclick: () => act('advance') }, 'Advance round now'),
    el('button', { id: 'end', disabled: v.ended, onclick: () => { if (confirm('End the game and show the debrief?')) act('end'); } }, 'End and debrief'));
  const crisis = v.crisis;
  const crisisControls = v.crisisOptions && !v.ended ? crisisForm(v) : null;
  const crisisLine = crisis ? el('p', { id: 'crisis', class: 'crisis-banner' }, `Crisis in ${crisis.issueArea}, region ${crisis.region}, rounds ${crisis.round} to ${crisis.until} (stakes and need doubled there); the region's rows are outlined.`) : null;
  const board = el('table', { id: 'board' },
    el('tr', {}, el('th', {}, 'seat'), el('th', {}, 'code'), el('th', {}, 'state'), el('th', {}, 'role'), el('th', {}, 'region'), el('th', {}, 'here'), el('th', {}, 'moved')),
    v.seats.map((s) => el('tr', { 'data-seat': s.seat, 'data-region': s.region, class: crisis && crisis.region === s.region ? 'crisis-hit' : undefined }, el('td', {}, s.seat + 1), el('td', {}, el('code', {}, s.code)), el('td', {}, s.name), el('td', {}, s.role), el('td', {}, s.region),
      el('td', { class: s.connected ? 'yes' : 'no' }, s.connected ? 'yes' : s.joined ? 'left (agent plays)' : 'not yet (agent plays)'),
      el('td', { class: s.moved ? 'yes' : '' }, s.moved ? 'yes' : '-'))));
  const counts = el('table', { id: 'counts' }, el('tr', {}, el('th', {}, 'area'), v.levels.map((l) => el('th', {}, l))),
    v.games.map((g, gi) => el('tr', {}, el('td', {}, g), v.counts[gi].map((c) => el('td', {}, c)))));
  const parts = [head, controls, crisisControls, crisisLine, el('h2', {}, 'Who has moved'), board, el('h2', {}, 'States at each level now'), counts];
  if (!v.ended) {
    parts.push(el('h2', {}, 'The class over rounds'), el('div', { class: 'chart', id: 'chart' }, v.roundsRun > 0 ? chartImg('class', v.roundsRun) : el('p', { class: 'muted' }, 'The chart appears after the first round.')));
  }
  if (debrief) parts.push(renderDebrief(debrief));
  app.replaceChildren(...parts.filter((p) => p !== null));
}

function crisisForm(v) {
  const area = el('select', { id: 'crisis-area', 'aria-label': 'issue area hit' }, v.crisisOptions.areas.map((a) => el('option', { value: a }, a)));
  const region = el('select', { id: 'crisis-region', 'aria-label': 'region hit' }, Array.from({ length: v.crisisOptions.regions }, (_, r) => el('option', { value: r }, `region ${r}`)));
  const duration = el('input', { id: 'crisis-duration', type: 'number', min: 1, max: 1000, value: 5, 'aria-label': 'rounds it lasts', style: 'width:5em;text-transform:none' });
  if (crisisChoice.area !== null) area.value = crisisChoice.area;
  region.value = crisisChoice.region;
  duration.value = crisisChoice.duration;
  area.addEventListener('change', () => { crisisChoice.area = area.value; });
  region.addEventListener('change', () => { crisisChoice.region = region.value; });
  duration.addEventListener('input', () => { crisisChoice.duration = duration.value; });
  const fire = () => {
    if (confirm(`Fire a crisis in ${area.value}, region ${region.value}, for ${duration.value} rounds from round ${v.round}?`)) act('crisis', { issueArea: area.value, region: Number(region.value), duration: Number(duration.value) });
  };
  return el('div', { class: 'controls', id: 'crisis-controls' }, el('span', {}, 'Crisis:'), area, region, duration, el('span', {}, 'rounds'), el('button', { id: 'fire-crisis', onclick: fire }, `Fire a crisis from round ${v.round}`));
}

/** Labels with repeats counted: 'all U | mixed (7)'. */
function tally(labels) {
  const n = new Map();
  for (const l of labels) n.set(l, (n.get(l) ?? 0) + 1);
  return [...n].map(([l, k]) => (k > 1 ? `${l} (${k})` : l)).join(' | ');
}

function renderTheory(d) {
  const t = d.theory;
  if (!t) return null;
  const pct = (x) => `${Math.round(100 * x)} %`;
  const mix = (counts) => { const n = counts.reduce((a, b) => a + b, 0); return d.levels.map((l, k) => `${l} ${pct(counts[k] / n)}`).join(', '); };
  const lastClass = d.classHistory[d.classHistory.length - 1].counts;
  const lastAgents = d.agentsHistory[d.agentsHistory.length - 1].counts;
  return el('div', { id: 'theory' }, el('h2', {}, 'Beside the theory'),
    el('p', {}, `Theory expects: the level each issue area should have reached after ${t.rounds} rounds if every state picked its best level with a little noise (logit, temperature ${t.temperature}), worked out from the game's equilibria rather than simulated; where the class ends elsewhere, its choices (or chance) moved it off that path.${d.events.length ? ' The theory is of the game without the crisis.' : ''}`),
    el('table', { id: 'theory-areas' }, el('tr', {}, el('th', {}, 'issue area'), el('th', {}, 'theory expects'), el('th', {}, 'equilibria'), el('th', {}, 'class at the end'), el('th', {}, 'agents at the end')),
      t.areas.map((a) => {
        const g = d.games.indexOf(a.issueArea);
        const expects = a.expected === null ? 'no equilibrium reached from the start' : `${a.expected} (${d.levels.map((l, k) => `${l} ${pct(a.expectedShares[k])}`).join(', ')})`;
        return el('tr', { 'data-area': a.issueArea }, el('td', {}, a.issueArea), el('td', { class: 'expects' }, expects), el('td', {}, `${tally(a.equilibria)}${a.method === 'all profiles' ? '' : ' (found, not proven the only ones)'}`), el('td', {}, mix(lastClass[g])), el('td', {}, mix(lastAgents[g])));
      })));
}

function renderDebrief(d) {
  const pct = (x) => `${Math.round(100 * x)} %`;
  return el('div', { id: 'debrief' }, el('h2', {}, 'Debrief: the class beside the agents'),
    el('p', {}, `The same game and seed over ${d.rounds} rounds, once as the class played it and once with every state played by the learning rule.`),
    el('h2', {}, 'The class'), el('div', { class: 'chart' }, chartImg('class', d.rounds)),
    el('h2', {}, 'All agents (the same game and seed, no students)'), el('div', { class: 'chart' }, chartImg('agents', d.rounds)),
    renderTheory(d),
    el('h2', {}, 'Each student state'),
    el('p', { class: 'muted' }, 'Contribution: share of its choices (rounds x issue areas) at C or M. Free-riding: share at U while most other states were at C or M.'),
    el('table', { id: 'debrief-states' }, el('tr', {}, el('th', {}, 'state'), el('th', {}, 'role'), el('th', {}, 'capacity'), el('th', {}, 'contribution: class'), el('th', {}, 'agent'), el('th', {}, 'free-riding: class'), el('th', {}, 'agent')),
      d.states.map((s) => el('tr', {}, el('td', {}, s.name), el('td', {}, s.role), el('td', {}, fmt(s.capacity)), el('td', {}, pct(s.class.contribution)), el('td', {}, pct(s.agents.contribution)), el('td', {}, pct(s.class.freeRiding)), el('td', {}, pct(s.agents.freeRiding))))));
}

if (!token) showError('This page needs the teacher link that `migov classroom` printed (it ends in #t=...).');
else {
  const events = new EventSource(`/api/events?teacher=${encodeURIComponent(token)}`);
  events.onmessage = () => refresh();
  refresh();
}
