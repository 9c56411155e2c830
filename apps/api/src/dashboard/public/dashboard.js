// The operators' dashboard: one page, no framework, nothing from a CDN. Every figure comes from
// GET /v1/tenants/{t}/reports/service-delivery-summary (JSON); charts and gauges are the SVG the
// API renders for the committee report, so the page and the report always agree.
(() => {
  const $ = (id) => document.getElementById(id);
  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.get('token')) {
    localStorage.setItem('itsm.token', hash.get('token'));
    hash.delete('token');
    history.replaceState(null, '', `${location.pathname}${hash.toString() ? `#${hash}` : ''}`);
  }
  const token = () => localStorage.getItem('itsm.token');
  let timer;

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

  function table(el, head, rows) {
    el.replaceChildren();
    const tr = el.insertRow();
    for (const h of head) tr.appendChild(Object.assign(document.createElement('th'), { textContent: h }));
    for (const row of rows) {
      const r = el.insertRow();
      for (const cell of row) {
        const td = r.insertCell();
        if (cell && typeof cell === 'object') {
          td.textContent = cell.text;
          td.className = cell.className ?? '';
        } else td.textContent = cell === null || cell === undefined || cell === '' ? '—' : String(cell);
      }
    }
  }

  const minutes = (m) => (m >= 60 ? `${Math.floor(m / 60)} h ${Math.round(m % 60)} min` : `${Math.round(m)} min`);

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
    table($('incidents'), ['Ticket', 'Priority', 'Service', 'Reason', 'Resolution', 'Supplier', 'Outage', 'Within target'], s.priorityIncidents.map((t) => [t.id, t.priority, t.service, t.reason, t.resolution, t.supplier, t.outageMinutes ? minutes(t.outageMinutes) : '', t.resolvedWithinTarget === null ? 'open' : t.resolvedWithinTarget ? 'yes' : 'no']));
    const rag = (c) => (c ? { text: `${c.actual ?? '—'} / ${c.target}`, className: `rag-${c.rag}` } : '');
    table($('suppliers'), ['Supplier', 'Tickets raised', 'P1/P2 incidents', 'Resolved', 'Breaches', 'Outage', 'First-time fix %', 'Uptime %', 'Mean response min'], s.suppliers.map((x) => {
      const c = (m) => x.contract.find((k) => k.measure === m);
      return [x.name, x.tickets, x.p1p2, x.resolved, x.breaches, minutes(x.outageMinutes), rag(c('firstTimeFixPct')), rag(c('uptimePct')), rag(c('meanResponseMinutes'))];
    }));
    table($('availability'), ['Service', 'Under IT management', 'Outage', 'Availability %', 'Target %'], s.availability.services.map((v) => [v.name, v.underItManagement ? 'yes' : 'no', minutes(v.outageMinutes), { text: String(v.availabilityPct), className: v.targetMet ? 'rag-green' : 'rag-red' }, v.targetPct]));
    $('status').textContent = `log position ${s.logPosition} · updated ${new Date().toLocaleTimeString()}`;
    document.body.dataset.loaded = `${s.tenantId}/${s.month}/${s.logPosition}`;
  }

  async function refresh() {
    try {
      const tenant = $('tenant').value;
      const month = $('month').value;
      location.hash = new URLSearchParams({ tenant, month }).toString();
      render(await api(`/v1/tenants/${encodeURIComponent(tenant)}/reports/service-delivery-summary?month=${encodeURIComponent(month)}`));
      $('content').hidden = false;
    } catch (e) {
      $('status').textContent = `could not load: ${e.message}`;
    }
  }

  function schedule() {
    clearInterval(timer);
    if ($('auto').checked) timer = setInterval(refresh, 30_000);
  }

  async function start() {
    if (!token()) return showLogin();
    $('login').hidden = true;
    const tenants = await api('/v1/tenants');
    $('tenant').replaceChildren(...tenants.map((t) => Object.assign(document.createElement('option'), { value: t.tenantId, textContent: `${t.tenantId} — ${t.name}` })));
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
  $('tenant').addEventListener('change', () => void refresh());
  $('month').addEventListener('change', () => void refresh());
  $('auto').addEventListener('change', schedule);
  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    localStorage.setItem('itsm.token', $('token').value.trim());
    void start().catch((err) => ($('status').textContent = err.message));
  });
  void start().catch((err) => ($('status').textContent = err.message));
})();
