// The operators' dashboard: one page, no framework, nothing from a CDN. Every figure comes from
// GET /v1/tenants/{t}/reports/service-delivery-summary (JSON); charts and gauges are the SVG the
// API renders for the committee report, so the page and the report always agree. The "at risk now"
// panel reads GET .../queue; every ticket id opens the ticket's detail (GET .../tickets/{id}, its
// /sla and /history). Operators' text is only ever set as textContent.
(() => {
  const $ = (id) => document.getElementById(id);
  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.get('token')) {
    localStorage.setItem('itsm.token', hash.get('token'));
    hash.delete('token');
    history.replaceState(null, '', `${location.pathname}${hash.toString() ? `#${hash}` : ''}`);
  }
  const token = () => localStorage.getItem('itsm.token');
  const enc = encodeURIComponent;
  let timer;
  let openTicketId = hash.get('ticket');

  async function api(path) {
    const res = await fetch(path, { headers: { Authorization: `Bearer ${token()}`, Accept: 'application/json' } });
    if (res.status === 401) {
      localStorage.removeItem('itsm.token');
      showLogin();
      throw new Error('the token was refused');
    }
    if (!res.ok) throw new Error(`${res.status} ${(await res.json().catch(() => ({}))).detail ?? res.statusText}`);
    return res.json();
  }

  function showLogin() {
    $('login').hidden = false;
    $('content').hidden = true;
  }

  /** A cell is a value, {text, className}, or {ticket: id} (a link to the ticket's detail). */
  function table(el, head, rows) {
    el.replaceChildren();
    const tr = el.insertRow();
    for (const h of head) tr.appendChild(Object.assign(document.createElement('th'), { textContent: h }));
    for (const row of rows) {
      const r = el.insertRow();
      for (const cell of row) {
        const td = r.insertCell();
        if (cell && typeof cell === 'object' && 'ticket' in cell) td.appendChild(ticketLink(cell.ticket));
        else if (cell && typeof cell === 'object') {
          td.textContent = cell.text;
          td.className = cell.className ?? '';
        } else td.textContent = cell === null || cell === undefined || cell === '' ? '—' : String(cell);
      }
    }
  }

  function ticketLink(id) {
    const a = document.createElement('a');
    a.href = `#ticket=${enc(id)}`;
    a.className = 'ticket-link';
    a.dataset.ticket = id;
    a.textContent = id;
    return a;
  }

  const minutes = (m) => (m >= 60 ? `${Math.floor(m / 60)} h ${Math.round(m % 60)} min` : `${Math.round(m)} min`);
  const remaining = (m) => (m < 0 ? `${minutes(-m)} over` : minutes(m));
  const instant = (iso) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '');
  const pct = (x) => (x === undefined || x === null ? '' : `${Math.round(x * 10) / 10}%`);
  const tenantPath = () => `/v1/tenants/${enc($('tenant').value)}`;

  /** The hash names what is shown (tenant, month, open ticket), so a reload or a shared link shows it again. */
  function setHash() {
    const p = new URLSearchParams({ tenant: $('tenant').value, month: $('month').value });
    if (openTicketId) p.set('ticket', openTicketId);
    history.replaceState(null, '', `${location.pathname}#${p}`);
  }

  function render(s) {
    $('title').textContent = `${s.tenantName}, ${s.monthName}${s.partial ? ' (month in progress)' : ''}`;
    $('summary').replaceChildren(...s.summary.map((line) => Object.assign(document.createElement('li'), { textContent: line })));
    $('count-P1').textContent = String(s.counts.P1);
    $('count-P2').textContent = String(s.counts.P2);
    $('gauges').replaceChildren(
      ...s.charts.gauges.map((g) => {
        const div = document.createElement('div');
        div.className = 'gauge';
        div.dataset.ref = g.reference ?? g.label;
        div.dataset.value = g.actual === null ? '' : String(g.actual);
        div.innerHTML = g.svg; // rendered and escaped by the API
        return div;
      }),
    );
    $('gauge-legend').textContent = s.charts.gaugeLegend;
    $('trend').innerHTML = s.charts.trend;
    $('request-trend').innerHTML = s.charts.requestTrend;
    $('demand').innerHTML = s.charts.demand;
    $('backlog').innerHTML = s.charts.backlog;
    table(
      $('incidents'),
      ['Ticket', 'Priority', 'Service', 'Reason', 'Resolution', 'Supplier', 'Outage', 'Within target'],
      s.priorityIncidents.map((t) => [
        { ticket: t.id },
        t.priority,
        t.service,
        t.reason,
        t.resolution,
        t.supplier,
        t.outageMinutes ? minutes(t.outageMinutes) : '',
        t.resolvedWithinTarget === null ? 'open' : t.resolvedWithinTarget ? 'yes' : 'no',
      ]),
    );
    const rag = (c) => (c ? { text: `${c.actual ?? '—'} / ${c.target}`, className: `rag-${c.rag}` } : '');
    table(
      $('suppliers'),
      ['Supplier', 'Tickets raised', 'P1/P2 incidents', 'Resolved', 'Breaches', 'Outage', 'First-time fix %', 'Uptime %', 'Mean response min'],
      s.suppliers.map((x) => {
        const c = (m) => x.contract.find((k) => k.measure === m);
        return [
          x.name,
          x.tickets,
          x.p1p2,
          x.resolved,
          x.breaches,
          minutes(x.outageMinutes),
          rag(c('firstTimeFixPct')),
          rag(c('uptimePct')),
          rag(c('meanResponseMinutes')),
        ];
      }),
    );
    table(
      $('availability'),
      ['Service', 'Under IT management', 'Outage', 'Availability %', 'Target %'],
      s.availability.services.map((v) => [
        v.name,
        v.underItManagement ? 'yes' : 'no',
        minutes(v.outageMinutes),
        { text: String(v.availabilityPct), className: v.targetMet ? 'rag-green' : 'rag-red' },
        v.targetPct,
      ]),
    );
    $('status').textContent = `log position ${s.logPosition} · updated ${new Date().toLocaleTimeString()}`;
    document.body.dataset.loaded = `${s.tenantId}/${s.month}/${s.logPosition}`;
  }

  /** The tickets at risk now, most urgent first, and the open tickets per resolver group. */
  function renderQueue(tenant, q) {
    const c = q.counts;
    $('at-risk-summary').textContent =
      `${c.atRisk} at risk of ${c.open} open · ${c.unassigned} unassigned · ${c.onHold} on hold · as of ${instant(q.asOf)}${q.nextOffset === null ? '' : ` · the ${q.items.length} most urgent shown`}`;
    table(
      $('at-risk'),
      ['Ticket', 'Priority', 'Title', 'Group', 'Supplier', 'Clock', 'Used', 'Remaining', 'Deadline'],
      q.items.map((t) => {
        const clock = t.clocks.reduce((a, b) => (b.remainingMinutes < a.remainingMinutes ? b : a));
        return [
          { ticket: t.ticketId },
          t.priority,
          t.title,
          t.groupId ?? 'unassigned',
          t.supplierId,
          `${clock.metric}${clock.reference ? ` (${clock.reference})` : ''}`,
          { text: pct(clock.percentUsed), className: 'at-risk' },
          remaining(clock.remainingMinutes),
          instant(clock.deadline),
        ];
      }),
    );
    table(
      $('at-risk-groups'),
      ['Group', 'Open', 'Unassigned', 'On hold', 'At risk'],
      c.byGroup.map((g) => [g.groupId ?? 'unassigned', g.open, g.unassigned, g.onHold, g.atRisk]),
    );
    $('at-risk-panel').dataset.loaded = `${tenant}/${q.asOf}`;
  }

  async function refreshQueue(tenant) {
    try {
      renderQueue(tenant, await api(`/v1/tenants/${enc(tenant)}/queue?atRisk=true&limit=25`));
    } catch (e) {
      $('at-risk-summary').textContent = `could not load the queue: ${e.message}`;
      $('at-risk').replaceChildren();
      $('at-risk-groups').replaceChildren();
    }
  }

  async function refresh() {
    try {
      const tenant = $('tenant').value;
      const month = $('month').value;
      setHash();
      const queue = refreshQueue(tenant);
      render(await api(`/v1/tenants/${enc(tenant)}/reports/service-delivery-summary?month=${enc(month)}`));
      $('content').hidden = false;
      await queue;
      if (openTicketId) await showTicket(openTicketId);
    } catch (e) {
      $('status').textContent = `could not load: ${e.message}`;
    }
  }

  /** One ticket: its state, each clock explained, what was recorded about its SLA, and its history. */
  async function showTicket(id) {
    openTicketId = id;
    setHash();
    const section = $('ticket-detail');
    section.hidden = false;
    if (section.dataset.ticket !== id) {
      delete section.dataset.ticket; // set again once this ticket is shown (a refresh keeps it)
      $('ticket-heading').textContent = `Ticket ${id}`;
    }
    const base = `${tenantPath()}/tickets/${enc(id)}`;
    try {
      const [t, sla] = await Promise.all([api(base), api(`${base}/sla`)]);
      const facts = await api(`${base}/history`).catch((e) => e); // operators and auditors only
      if (openTicketId !== id) return; // another ticket was asked for meanwhile
      $('ticket-heading').textContent = `Ticket ${id}: ${t.title}`;
      table(
        $('ticket-state'),
        ['Field', 'Value'],
        [
          ['Status', t.status],
          ['Priority', t.priority],
          ['Kind', t.kind],
          ['Service', t.serviceId],
          ['Group', t.assignment?.groupId ?? 'unassigned'],
          ['Supplier', t.assignment?.supplierId],
          ['Reporter', t.reporter],
          ['Raised', instant(t.raisedAt)],
          ['Responded', instant(t.respondedAt)],
          ['On hold', t.hold ? `${t.hold.reason} since ${instant(t.hold.since)}` : ''],
          ['Resolved', instant(t.resolvedAt)],
          ['Closed', instant(t.closedAt)],
          ['Reopened', t.reopenCount],
          ['Major incident', t.majorIncident?.reference],
          ['Revision', t.revision],
        ],
      );
      $('ticket-policy').textContent = sla.policy
        ? `SLA policy version ${sla.policy.version} (${sla.policy.name}), in force from ${instant(sla.policy.effectiveFrom)}; clocks as of ${instant(sla.asOf)}. A threshold is crossed at the first instant the working time used exceeds it.`
        : 'No SLA policy applies to this ticket: it has no clocks.';
      table(
        $('ticket-clocks'),
        ['Clock', 'Priority', 'Target', 'Calendar', 'State', 'Used', 'Deadline', 'Ran', 'Paused'],
        sla.clocks.map((c) => [
          `${c.metric}${c.cycle ? ` #${c.cycle + 1}` : ''}${c.reference ? ` (${c.reference})` : ''}`,
          c.priority,
          c.targetMinutes === undefined ? 'none' : minutes(c.targetMinutes),
          c.calendarId,
          c.state,
          `${minutes(c.elapsedMinutes)}${c.percentUsed === undefined ? '' : ` · ${pct(c.percentUsed)}`}`,
          instant(c.deadline),
          c.running.map((r) => `${instant(r.from)} → ${r.to ? instant(r.to) : 'now'}`).join('; '),
          c.pauses.map((p) => `${p.reason} ${instant(p.from)} → ${p.to ? instant(p.to) : 'now'}`).join('; '),
        ]),
      );
      table(
        $('ticket-recorded'),
        ['Kind', 'Key', 'At', 'Withdrawn'],
        sla.recorded.map((r) => [r.kind, r.key, instant(r.at), r.retracted ? 'yes' : 'no']),
      );
      if (facts instanceof Error) {
        $('ticket-history-note').textContent = `History not shown: ${facts.message}`;
        $('ticket-history').replaceChildren();
      } else {
        $('ticket-history-note').textContent = `${facts.length} facts, oldest first.`;
        table(
          $('ticket-history'),
          ['Rev', 'Fact', 'Occurred', 'Recorded', 'By', 'Data'],
          facts.map((e) => [e.revision, e.type, instant(e.occurredAt), instant(e.recordedAt), e.actor, { text: JSON.stringify(e.data), className: 'data' }]),
        );
      }
      section.dataset.ticket = id;
    } catch (e) {
      if (openTicketId === id) $('ticket-heading').textContent = `Ticket ${id}: could not load (${e.message})`;
    }
  }

  function closeTicket() {
    openTicketId = null;
    $('ticket-detail').hidden = true;
    delete $('ticket-detail').dataset.ticket;
    setHash();
  }

  function schedule() {
    clearInterval(timer);
    if ($('auto').checked) timer = setInterval(refresh, 30_000);
  }

  async function start() {
    if (!token()) return showLogin();
    $('login').hidden = true;
    const tenants = await api('/v1/tenants');
    $('tenant').replaceChildren(
      ...tenants.map((t) => Object.assign(document.createElement('option'), { value: t.tenantId, textContent: `${t.tenantId} — ${t.name}` })),
    );
    if (hash.get('tenant')) $('tenant').value = hash.get('tenant');
    const last = new Date();
    last.setUTCDate(1);
    last.setUTCMonth(last.getUTCMonth() - 1);
    $('month').value = hash.get('month') ?? last.toISOString().slice(0, 7);
    await refresh();
    schedule();
  }

  $('pickers').addEventListener('submit', (e) => {
    e.preventDefault();
    void refresh();
  });
  $('tenant').addEventListener('change', () => {
    closeTicket(); // ticket ids are each tenant's own
    void refresh();
  });
  $('ticket-close').addEventListener('click', closeTicket);
  document.addEventListener('click', (e) => {
    const link = e.target instanceof Element ? e.target.closest('a.ticket-link') : null;
    if (!link) return;
    e.preventDefault();
    void showTicket(link.dataset.ticket);
  });
  $('month').addEventListener('change', () => void refresh());
  $('auto').addEventListener('change', schedule);
  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    localStorage.setItem('itsm.token', $('token').value.trim());
    void start().catch((err) => ($('status').textContent = err.message));
  });
  void start().catch((err) => ($('status').textContent = err.message));
})();
