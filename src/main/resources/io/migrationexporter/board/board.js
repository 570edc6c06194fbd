// The control tower: polls the exporter's API and draws the board. Every value from the API is
// put in the page with textContent or DOM properties, never parsed as HTML, so a title or a log
// line holding markup shows as text. No framework, no external asset: it works offline.
'use strict';

(() => {
  const POLL_INTERVAL_MS = 2000;
  const REQUEST_TIMEOUT_MS = 10000;
  // asks the exporter to answer within about one second even if a source is slow to refresh
  const REFRESH_BUDGET_SECONDS = '1.5';
  const GROUP_ORDER = ['maintenance', 'connections', 'migration', 'reopening'];
  const TOKEN_KEY = 'migration-exporter.admin-token';
  const EVENTS_KEPT = 60;
  const BLOCKING_SHOWN = 8;
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const ICON_PATHS = {
    ok: 'M6 12.5l4 4 8-9',
    failing: 'M7 7l10 10M17 7L7 17',
    unknown: 'M9.2 9a2.9 2.9 0 1 1 3.8 2.8c-.7.3-1 .8-1 1.6v.8M12 17.6v.2',
  };

  const state = {
    status: null,
    lastUpdate: 0, // Date.now() of the last successful poll
    skewMs: 0, // this browser's clock minus the exporter's
    failure: '', // why the last poll got no answer, '' when it did
    drawFailed: false, // the page could not draw the last answer: a bug of the page
    lastSequence: 0,
    events: [], // newest first
    liveNodes: [], // nodes whose text follows the clock, rebuilt at every render
    confirming: '', // the phase the control asks to confirm
  };

  const $ = (id) => document.getElementById(id);

  // ---- small DOM helpers: text only ------------------------------------------------------------

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function icon(kind) {
    const svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('class', 'icon icon-' + kind);
    svg.setAttribute('aria-hidden', 'true');
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', ICON_PATHS[kind] || ICON_PATHS.unknown);
    svg.appendChild(path);
    return svg;
  }

  function stateClass(label) {
    return label === 'ok' || label === 'failing' ? label : 'unknown';
  }

  function capitalize(text) {
    return text ? text.charAt(0).toUpperCase() + text.slice(1) : text;
  }

  // ---- time ------------------------------------------------------------------------------------

  function serverNow() {
    return Date.now() - state.skewMs;
  }

  function parseTime(text) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? null : ms;
  }

  function formatDuration(ms) {
    let seconds = Math.max(0, Math.floor(ms / 1000));
    if (seconds < 60) return seconds + 's';
    const days = Math.floor(seconds / 86400);
    seconds -= days * 86400;
    const hours = Math.floor(seconds / 3600);
    seconds -= hours * 3600;
    const minutes = Math.floor(seconds / 60);
    seconds -= minutes * 60;
    if (days > 0) return days + 'd ' + hours + 'h';
    if (hours > 0) return hours + 'h ' + String(minutes).padStart(2, '0') + 'm';
    return minutes + 'm ' + String(seconds).padStart(2, '0') + 's';
  }

  function formatClock(ms) {
    const date = new Date(ms);
    const time = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    if (new Date(serverNow()).toDateString() === date.toDateString()) return time;
    return date.toLocaleDateString([], { weekday: 'short', day: 'numeric' }) + ' ' + time;
  }

  /** Registers a node whose text is recomputed every second from the time elapsed since atMs. */
  function live(node, atMs, update) {
    const entry = { node, atMs, update };
    state.liveNodes.push(entry);
    update(node, serverNow() - atMs);
    return node;
  }

  function tick() {
    for (const entry of state.liveNodes) entry.update(entry.node, serverNow() - entry.atMs);
    $('clock').textContent = new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    renderConnection();
  }

  // ---- polling ---------------------------------------------------------------------------------

  async function getJson(url) {
    const response = await fetch(url, {
      cache: 'no-store',
      headers: { Accept: 'application/json', 'X-Prometheus-Scrape-Timeout-Seconds': REFRESH_BUDGET_SECONDS },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error('HTTP ' + response.status);
    return response.json();
  }

  async function poll() {
    try {
      let status;
      let events;
      try {
        status = await getJson('/api/status');
        if (state.failure) {
          // the exporter may have restarted with a new journal: read the events again from scratch
          state.lastSequence = 0;
          state.events = [];
        }
        events = await getJson('/api/events?limit=100&after=' + state.lastSequence);
      } catch (error) {
        state.failure = error.name === 'TimeoutError' ? 'no answer' : error.message || 'unreachable';
        renderConnection();
        return;
      }
      const serverTime = parseTime(status.now);
      state.skewMs = serverTime === null ? 0 : Date.now() - serverTime;
      state.status = status;
      state.lastUpdate = Date.now();
      state.failure = '';
      addEvents(events.events || []);
      try {
        render();
        state.drawFailed = false;
      } catch (error) {
        // a bug of this page, not a lost exporter: say so, and leave a trace for whoever debugs it
        console.error('the board cannot draw the status', error);
        state.drawFailed = true;
        renderConnection();
      }
    } finally {
      setTimeout(poll, POLL_INTERVAL_MS);
    }
  }

  function addEvents(fresh) {
    for (const event of fresh) {
      if (event.sequence > state.lastSequence) {
        state.lastSequence = event.sequence;
        state.events.unshift(event);
      }
    }
    state.events.length = Math.min(state.events.length, EVENTS_KEPT);
  }

  // ---- rendering -------------------------------------------------------------------------------

  function render() {
    state.liveNodes = [];
    const status = state.status;
    const titles = new Map((status.apps || []).map((app) => [app.name, app.title]));
    const checksByName = new Map(status.checks.map((check) => [check.name, check]));
    renderPhases(status.phase);
    renderHeadline(status.headline, status.gates, checksByName);
    renderGroups(status.checks, titles);
    renderMigrations(status.migrations);
    renderEvents();
    renderPhaseOptions(status.phase);
    tick();
  }

  /** The tab's title tells the phase and its verdict, for a board left in a background tab. */
  function renderTitle() {
    const parts = [];
    if (state.failure || state.drawFailed) parts.push('Connection lost');
    if (state.status) {
      parts.push(capitalize(state.status.phase.current));
      const verdict = VERDICTS[state.status.headline.tone];
      if (verdict) parts.push(verdict);
    }
    parts.push('Control tower');
    document.title = parts.join(' · ');
  }

  function renderConnection() {
    renderTitle();
    const node = $('connection');
    const lost = Boolean(state.failure) || state.drawFailed;
    document.body.classList.toggle('lost', lost);
    node.className = 'connection ' + (lost ? 'connection-lost' : state.lastUpdate ? 'connection-live' : '');
    const since = formatDuration(Date.now() - state.lastUpdate) + ' ago';
    if (state.failure && !state.lastUpdate) {
      node.textContent = 'Cannot reach the exporter (' + state.failure + ')';
    } else if (state.failure) {
      node.textContent = 'Connection lost, last update ' + since;
    } else if (state.drawFailed) {
      node.textContent = 'This page cannot draw the answer (see the browser console), last update ' + since;
    } else {
      node.textContent = state.lastUpdate ? 'Live · updated ' + since : 'Connecting…';
    }
  }

  function renderPhases(phase) {
    const list = $('phases');
    const current = phase.order.indexOf(phase.current);
    const items = phase.order.map((name, index) => {
      const position = index < current ? 'past' : index === current ? 'current' : 'upcoming';
      const item = el('li', 'phase phase-' + position);
      item.dataset.phase = name;
      if (position === 'current') item.setAttribute('aria-current', 'step');
      item.appendChild(el('span', 'phase-marker', index < current ? '✓' : String(index + 1)));
      item.appendChild(el('span', 'phase-name', capitalize(name)));
      const entered = parseTime(phase.entered[name]);
      if (position === 'current' && entered !== null) {
        const since = item.appendChild(el('span', 'phase-time'));
        live(since, entered, (node, elapsed) => {
          node.textContent = 'for ' + formatDuration(elapsed) + ' · since ' + formatClock(entered);
        });
      } else if (position === 'past' && entered !== null) {
        item.appendChild(el('span', 'phase-time', 'at ' + formatClock(entered)));
      }
      return item;
    });
    list.replaceChildren(...items);
  }

  const VERDICTS = { go: 'GO', 'no-go': 'NO GO' };

  /**
   * The answer to the current phase's question, in the words of the gate that asks it: GO / NO GO
   * only from a gate that speaks for the phase; before that, a neutral list of what is left to do.
   */
  function renderHeadline(headline, gates, checksByName) {
    const section = $('gates');
    const gate = gates.find((candidate) => candidate.name === headline.gate);
    const tone = headline.tone === 'go' ? 'gate-go' : headline.tone === 'no-go' ? 'gate-nogo' : 'gate-neutral';
    const card = el('article', 'gate ' + tone);
    if (gate) card.dataset.gate = gate.name;
    if (VERDICTS[headline.tone]) card.appendChild(el('div', 'gate-verdict', VERDICTS[headline.tone]));
    const body = card.appendChild(el('div', 'gate-body'));
    body.appendChild(el('h2', 'gate-title', headline.text));
    if (gate && gate.open) {
      body.appendChild(el('p', 'gate-summary', 'All ' + gate.checks + ' checks ok, as judged for phase ' + gate.phase + '.'));
    } else if (gate && gate.reason) {
      body.appendChild(el('p', 'gate-summary', capitalize(gate.reason) + '.'));
    } else if (gate) {
      const judged = headline.tone === 'neutral' ? 'For “' + gate.title + '”, as judged for phase ' : 'As judged for phase ';
      body.appendChild(el('p', 'gate-summary', judged + gate.phase + ':'));
      body.appendChild(blockingList(gate, checksByName, headline.tone !== 'neutral'));
    }
    const others = gates.filter((other) => other !== gate);
    const extra = others.length === 0 ? [] : [otherGates(others)];
    section.replaceChildren(card, ...extra);
  }

  /** @param withValues what each check shows now; left out of a to-do list, where it is the usual */
  function blockingList(gate, checksByName, withValues) {
    const list = el('ul', 'blocking');
    for (const blocking of gate.blocking.slice(0, BLOCKING_SHOWN)) {
      const check = checksByName.get(blocking.check);
      const item = list.appendChild(el('li', 'blocking-' + stateClass(blocking.state)));
      item.appendChild(icon(stateClass(blocking.state)));
      item.appendChild(el('strong', null, check ? check.title : blocking.check));
      if (check && check.app) item.appendChild(el('span', 'blocking-app', check.app));
      if (withValues) item.appendChild(el('span', null, blocking.value));
    }
    if (gate.blocking.length > BLOCKING_SHOWN) {
      list.appendChild(el('li', 'more', '… and ' + (gate.blocking.length - BLOCKING_SHOWN) + ' more'));
    }
    return list;
  }

  /** Gates that do not speak for this phase, in one line: scripts may wait on them. */
  function otherGates(gates) {
    const line = el('p', 'other-gates');
    line.appendChild(el('span', 'subtle', 'Other gates:'));
    for (const gate of gates) {
      const chip = line.appendChild(el('span', 'gate-chip ' + (gate.open ? 'gate-chip-open' : 'gate-chip-closed')));
      chip.dataset.gate = gate.name;
      chip.textContent = gate.title + ' · ' + (gate.open ? 'open' : gate.blocking.length + ' blocking');
    }
    return line;
  }

  function groupOrder(checks) {
    const groups = [];
    for (const check of checks) if (!groups.includes(check.group)) groups.push(check.group);
    const rank = (group) => {
      const index = GROUP_ORDER.indexOf(group);
      return index < 0 ? GROUP_ORDER.length : index;
    };
    // stable: groups outside the known ones keep the order of the configuration
    return groups.sort((a, b) => rank(a) - rank(b));
  }

  function renderGroups(checks, appTitles) {
    const container = $('groups');
    if (checks.length === 0) {
      container.replaceChildren(el('p', 'placeholder', 'No check is configured.'));
      return;
    }
    container.replaceChildren(...groupOrder(checks).map((group) => {
      const members = checks.filter((check) => check.group === group);
      const section = el('section', 'group');
      section.dataset.group = group;
      const heading = section.appendChild(el('h2', 'group-title', capitalize(group)));
      const counts = { ok: 0, failing: 0, unknown: 0 };
      members.forEach((check) => { counts[stateClass(check.state)] += 1; });
      const summary = heading.appendChild(el('span', 'group-counts'));
      for (const label of ['ok', 'failing', 'unknown']) {
        if (counts[label] > 0) summary.appendChild(el('span', 'count count-' + label, counts[label] + ' ' + label));
      }
      const grid = section.appendChild(el('div', 'cards'));
      members.forEach((check) => grid.appendChild(checkCard(check, appTitles)));
      return section;
    }));
  }

  const EXPECTATION_WORDS = {
    closed: 'must be closed',
    open: 'must be open',
    any: 'any fresh answer is fine',
  };

  function checkCard(check, appTitles) {
    const kind = stateClass(check.state);
    const card = el('article', 'card card-' + kind);
    card.dataset.check = check.name;
    card.dataset.state = kind;
    card.appendChild(el('div', 'card-icon')).appendChild(icon(kind));
    const body = card.appendChild(el('div', 'card-body'));
    if (check.app) body.appendChild(el('div', 'card-app', appTitles.get(check.app) || check.app));
    body.appendChild(el('h3', 'card-title', check.title));
    // the count behind the words (2 containers), sent only while the data is fresh
    if (typeof check.amount === 'number') {
      const amount = body.appendChild(el('p', 'card-amount'));
      amount.appendChild(el('span', 'card-amount-number', formatAmount(check.amount)));
      amount.appendChild(document.createTextNode(' ' + (check.unit || '')));
    }
    body.appendChild(el('p', 'card-value', check.value));
    const reason = reasonBesides(check.reason, check.value);
    if (reason) body.appendChild(el('p', 'card-reason', capitalize(reason)));
    const meta = body.appendChild(el('p', 'card-meta'));
    // the reason of a failing check already says what was expected
    if (!reason) {
      meta.appendChild(el('span', null, capitalize(EXPECTATION_WORDS[check.expected] || check.expected)));
    }
    const observed = parseTime(check.observed_at);
    const age = meta.appendChild(el('span', 'card-age'));
    if (observed === null) {
      age.textContent = 'no data yet';
    } else {
      live(age, observed, (node, elapsed) => { node.textContent = 'data ' + formatDuration(elapsed) + ' old'; });
    }
    return card;
  }

  function formatAmount(amount) {
    return Number.isInteger(amount) ? String(amount) : amount.toFixed(2);
  }

  /** The reason without what the value already says on the card, or '' when nothing is left. */
  function reasonBesides(reason, value) {
    if (!reason || value === 'Unknown: ' + reason) return '';
    const repeated = ', saw: ' + value;
    return reason.endsWith(repeated) ? reason.slice(0, -repeated.length) : reason;
  }

  function renderMigrations(migrations) {
    $('migrations-section').hidden = migrations.length === 0;
    $('migrations').replaceChildren(...migrations.map(migrationCard));
  }

  const MIGRATION_BADGES = {
    not_started: 'Not started',
    running: 'Running',
    waiting: 'Waiting on a lock',
    silent: 'Silent',
    interrupted: 'Interrupted',
    done: 'Done',
    unknown: 'Unknown',
  };

  /** A silence turns from amber to red once it lasts twice the migration's silent-after. */
  function silentTooLong(migration) {
    return migration.state === 'silent' && typeof migration.silent_for_seconds === 'number'
        && migration.silent_for_seconds >= 2 * migration.silent_after_seconds;
  }

  /** What the state words add to the badge: "its session ended (attempt 2 of step 1)". */
  function stateDetail(migration) {
    const words = migration.state_words || '';
    const badge = MIGRATION_BADGES[migration.state];
    if (words === badge || migration.state === 'unknown') return '';
    return capitalize(words.startsWith(badge + ': ') ? words.slice(badge.length + 2) : words);
  }

  function migrationCard(migration) {
    const kind = MIGRATION_BADGES[migration.state] ? migration.state : 'unknown';
    const alarm = silentTooLong(migration);
    const card = el('article', 'migration migration-' + kind + (alarm ? ' migration-alarm' : ''));
    card.dataset.migration = migration.name;
    card.dataset.state = kind;
    const head = card.appendChild(el('div', 'migration-head'));
    head.appendChild(el('h3', 'migration-title', migration.title));
    head.appendChild(el('span', 'badge badge-' + kind + (alarm ? ' badge-alarm' : ''), MIGRATION_BADGES[kind]));
    if (!migration.known) {
      card.appendChild(el('p', 'migration-reason', capitalize(migration.reason)));
      card.appendChild(stepList(migration));
      return card;
    }
    const detail = stateDetail(migration);
    if (detail) card.appendChild(el('p', 'migration-state', detail));
    // the exporter's words never lie about time: no end time before the start or behind a lock
    if (migration.time_words && !migration.done) {
      const overdue = migration.time_words.startsWith('overdue');
      card.appendChild(el('p', 'migration-time' + (overdue ? ' migration-overdue' : ''), capitalize(migration.time_words)));
    }
    const rerun = attemptsOfCurrentStep(migration);
    const stepWords = migration.done
      ? 'All ' + migration.steps + ' steps done'
      : migration.step === 0
        ? 'Waiting for step 1 of ' + migration.steps
        : 'Step ' + migration.step + ' of ' + migration.steps + (migration.step_title ? ': ' + migration.step_title : '')
          + (rerun > 1 ? ' (attempt ' + rerun + ')' : '');
    card.appendChild(el('p', 'migration-step', stepWords));
    if (typeof migration.progress === 'number') card.appendChild(bar('Overall', migration.progress, 'bar-overall'));
    if (typeof migration.step_progress === 'number' && !migration.done) {
      card.appendChild(bar('This step', migration.step_progress, 'bar-step'));
    }
    const facts = card.appendChild(el('dl', 'facts'));
    const started = parseTime(migration.step_started_at);
    // an interrupted step no longer runs: its time would count on
    if (started !== null && !migration.done && kind !== 'interrupted') {
      const expected = (migration.step_list[migration.step - 1] || {}).expected_seconds;
      fact(facts, 'In this step', (value) => live(value, started, (node, elapsed) => {
        const over = typeof expected === 'number' && elapsed > expected * 1000;
        node.textContent = formatDuration(elapsed)
            + (typeof expected === 'number' ? ' of ' + formatDuration(expected * 1000) + ' expected' : '')
            + (over ? ' (longer than expected)' : '');
        node.classList.toggle('over', over);
      }));
    }
    // an end time only while it lies ahead of a running migration; the time words say the rest
    const eta = parseTime(migration.eta);
    if (eta !== null && migration.state === 'running' && eta > serverNow()) {
      fact(facts, 'Expected end', (value) => { value.textContent = formatClock(eta); });
    }
    const heartbeat = parseTime(migration.heartbeat_at);
    if (heartbeat !== null) {
      fact(facts, 'Last heartbeat', (value) => live(value, heartbeat, (node, elapsed) => {
        node.textContent = formatDuration(elapsed) + ' ago';
        node.classList.toggle('over', kind === 'silent');
      }));
    }
    if (migration.detail) fact(facts, 'Doing', (value) => { value.textContent = migration.detail; });
    card.appendChild(stepList(migration));
    return card;
  }

  /** How many times the current step was started: more than 1 once it is run again. */
  function attemptsOfCurrentStep(migration) {
    const name = migration.step_name;
    return (migration.attempts || []).filter((attempt) => attempt.step === name).length;
  }

  function fact(list, label, fill) {
    list.appendChild(el('dt', null, label));
    fill(list.appendChild(el('dd')));
  }

  function bar(label, ratio, className) {
    const percent = Math.round(Math.min(1, Math.max(0, ratio)) * 100);
    const wrapper = el('div', 'bar ' + className);
    wrapper.appendChild(el('span', 'bar-label', label + ' ' + percent + '%'));
    const track = wrapper.appendChild(el('div', 'bar-track'));
    track.setAttribute('role', 'progressbar');
    track.setAttribute('aria-valuemin', '0');
    track.setAttribute('aria-valuemax', '100');
    track.setAttribute('aria-valuenow', String(percent));
    track.setAttribute('aria-label', label);
    track.appendChild(el('div', 'bar-fill')).style.width = percent + '%';
    return wrapper;
  }

  function stepList(migration) {
    const list = el('ol', 'steps');
    migration.step_list.forEach((step, index) => {
      const number = index + 1;
      const position = !migration.known ? 'unknown'
        : migration.done || number < migration.step ? 'past' : number === migration.step ? 'current' : 'upcoming';
      const item = list.appendChild(el('li', 'step step-' + position));
      item.appendChild(el('span', 'step-title', step.title));
      if (typeof step.expected_seconds === 'number') {
        // a rehearsal's figure scaled to the night's table says so, and how
        const expected = item.appendChild(el('span', 'step-expected', '~' + formatDuration(step.expected_seconds * 1000)
            + (step.expected_words ? ' (scaled)' : '')));
        if (step.expected_words) expected.title = step.expected_words;
      }
    });
    return list;
  }

  const EVENT_STATES = { ok: 'ok', failing: 'failing', unknown: 'unknown', open: 'ok', closed: 'failing' };

  function renderEvents() {
    const list = $('events');
    if (state.events.length === 0) {
      list.replaceChildren(el('li', 'event placeholder', 'No event yet.'));
      return;
    }
    list.replaceChildren(...state.events.map((event) => {
      const tone = (event.type === 'check' || event.type === 'gate') ? EVENT_STATES[event.to] || 'info' : 'info';
      const item = el('li', 'event event-' + tone);
      item.dataset.sequence = String(event.sequence);
      const at = parseTime(event.at);
      item.appendChild(el('time', 'event-time', at === null ? '' : new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })));
      item.appendChild(el('span', 'event-type', event.type));
      item.appendChild(el('span', 'event-message', event.message));
      return item;
    }));
  }

  // ---- phase control ---------------------------------------------------------------------------

  function storedToken() {
    try {
      return sessionStorage.getItem(TOKEN_KEY) || '';
    } catch (error) {
      return '';
    }
  }

  function showControl(open) {
    $('phase-control').hidden = !open;
    $('phase-open').setAttribute('aria-expanded', String(open));
    if (open) showControlStep('');
  }

  function showControlStep(message, isError) {
    const hasToken = Boolean(storedToken());
    $('token-step').hidden = hasToken;
    $('phase-step').hidden = !hasToken;
    $('confirm-step').hidden = true;
    const text = $('phase-message');
    text.textContent = message;
    text.className = 'phase-message' + (isError ? ' error' : '');
    (hasToken ? $('phase-select') : $('token-input')).focus();
  }

  function renderPhaseOptions(phase) {
    // phases.current in the configuration decides: the API refuses changes, so offer none
    const configured = phase.source === 'configuration';
    $('phase-open').hidden = configured;
    const note = $('phase-configured');
    note.hidden = !configured;
    note.title = configured ? phase.how_to_change : '';
    if (configured && !$('phase-control').hidden) showControl(false);
    const select = $('phase-select');
    const names = Array.from(select.options, (option) => option.value);
    if (names.join('\n') !== phase.order.join('\n')) {
      select.replaceChildren(...phase.order.map((name) => {
        const option = el('option', null, capitalize(name));
        option.value = name;
        return option;
      }));
      select.value = phase.current;
    }
    updateSubmitLabel();
  }

  function updateSubmitLabel() {
    const chosen = $('phase-select').value;
    const current = state.status ? state.status.phase.current : '';
    const button = $('phase-submit');
    button.textContent = chosen === current ? 'Already in ' + chosen : 'Set phase to ' + chosen;
    button.disabled = !chosen || chosen === current;
  }

  function useToken() {
    const token = $('token-input').value.trim();
    $('token-input').value = '';
    if (!token) {
      showControlStep('Paste the admin token first.', true);
      return;
    }
    try {
      sessionStorage.setItem(TOKEN_KEY, token);
    } catch (error) {
      showControlStep('This browser refuses to keep the token for the tab.', true);
      return;
    }
    showControlStep('');
  }

  function forgetToken() {
    try {
      sessionStorage.removeItem(TOKEN_KEY);
    } catch (error) {
      // nothing kept, nothing to forget
    }
    showControlStep('Token forgotten.');
  }

  /**
   * One click never changes the phase: the board asks first, and says plainly when the change goes
   * back, which re-judges every check (apps just reopened turn red in maintenance again).
   */
  function confirmPhase() {
    const phase = $('phase-select').value;
    const status = state.status;
    if (!phase || !status) return;
    const current = status.phase.current;
    const order = status.phase.order;
    const backwards = order.indexOf(phase) < order.indexOf(current);
    $('phase-step').hidden = true;
    $('phase-message').textContent = '';
    $('confirm-step').hidden = false;
    $('confirm-step').classList.toggle('confirm-warning', backwards);
    $('confirm-question').textContent = 'Set the phase from ' + current + ' to ' + phase + '?';
    const warning = $('confirm-backwards');
    warning.hidden = !backwards;
    warning.textContent = backwards ? '⚠ This goes BACK: ' + phase + ' comes before ' + current
        + '. Every check will be judged as for ' + phase + ' again, and alerts may fire.' : '';
    $('confirm-yes').textContent = (backwards ? 'Yes, go back to ' : 'Yes, set phase to ') + phase;
    state.confirming = phase;
    $('confirm-no').focus();
  }

  async function setPhase() {
    const phase = state.confirming;
    $('confirm-step').hidden = true;
    $('phase-step').hidden = false;
    const button = $('phase-submit');
    button.disabled = true;
    try {
      const response = await fetch('/api/phase', {
        method: 'PUT',
        cache: 'no-store',
        headers: { 'Content-Type': 'application/json', 'X-Admin-Token': storedToken() },
        body: JSON.stringify({ phase, actor: 'board' }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const answer = await response.json().catch(() => ({}));
      if (response.ok) {
        if (state.status) state.status.phase = answer;
        showControlStep('Phase is now ' + answer.current + '.');
        if (state.status) renderPhases(answer);
      } else {
        if (response.status === 401 || response.status === 403) {
          try { sessionStorage.removeItem(TOKEN_KEY); } catch (error) { /* already gone */ }
        }
        showControlStep('Refused (HTTP ' + response.status + '): ' + (answer.error || 'no reason given'), true);
      }
    } catch (error) {
      showControlStep('The exporter did not answer; the phase may be unchanged. Check the board.', true);
    } finally {
      updateSubmitLabel();
    }
  }

  function wireControls() {
    $('phase-open').addEventListener('click', () => showControl($('phase-control').hidden));
    $('phase-close').addEventListener('click', () => showControl(false));
    $('token-use').addEventListener('click', useToken);
    $('token-input').addEventListener('keydown', (event) => { if (event.key === 'Enter') useToken(); });
    $('token-forget').addEventListener('click', forgetToken);
    $('phase-select').addEventListener('change', updateSubmitLabel);
    $('phase-submit').addEventListener('click', confirmPhase);
    $('confirm-yes').addEventListener('click', setPhase);
    $('confirm-no').addEventListener('click', () => showControlStep('Phase unchanged.'));
  }

  wireControls();
  setInterval(tick, 1000);
  tick();
  poll();
})();
