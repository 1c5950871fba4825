// autotrace report page: flame graph, timeline and hotspot table, drawn from
// the JSON in #data. No network access, no dependencies.
(() => {
  'use strict';
  const D = JSON.parse(document.getElementById('data').textContent);
  const N = D.names;
  const $ = (s, root = document) => root.querySelector(s);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  };
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

  // ---- formatting (as the text table) ----
  const sig3 = (v) => (v < 9.995 ? v.toFixed(2) : v < 99.95 ? v.toFixed(1) : v.toFixed(0));
  function fmtDur(ns) {
    const a = Math.abs(ns), s = ns < 0 ? '-' : '';
    if (a < 1e3) return s + Math.round(a) + 'ns';
    if (a < 1e6) return s + sig3(a / 1e3) + 'µs';
    if (a < 1e9) return s + sig3(a / 1e6) + 'ms';
    return s + sig3(a / 1e9) + 's';
  }
  const fmtCount = (n) => n.toLocaleString('en-US');
  const fmtPct = (f) => (f >= 0.0995 ? (100 * f).toFixed(1) : (100 * f).toFixed(2)) + '%';
  function pkgOf(name) {
    const slash = name.lastIndexOf('/');
    const i = name.indexOf('.', slash + 1);
    return i < 0 ? name : name.slice(0, i);
  }

  // ---- colours: one hue per package, ranked by self time ----
  const PALETTE = ['#86aef2', '#f5ae6b', '#78c9a8', '#ea9cc0', '#b8a4f2', '#f2cf6b', '#6dc4d3', '#ec9480',
    '#a6d177', '#d3b08c', '#9db0cc', '#dc97dc', '#8fd3c1', '#f0b8a0'];
  const pkgSelf = new Map();
  for (const h of D.hotspots) {
    const p = pkgOf(N[h[0]]);
    pkgSelf.set(p, (pkgSelf.get(p) || 0) + h[5]);
  }
  const pkgs = [...pkgSelf.keys()].sort((a, b) => pkgSelf.get(b) - pkgSelf.get(a) || (a < b ? -1 : 1));
  const pkgColor = new Map(pkgs.map((p, i) => [p, PALETTE[i % PALETTE.length]]));
  function hash(s) {
    let h = 2166136261;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
    return h >>> 0;
  }
  function mix(hex, t) { // towards white by t
    const n = parseInt(hex.slice(1), 16);
    const c = [n >> 16, (n >> 8) & 255, n & 255].map((v) => Math.round(v + (255 - v) * t));
    return 'rgb(' + c.join(',') + ')';
  }
  const colorCache = new Map();
  function colorOf(name) {
    let c = colorCache.get(name);
    if (!c) {
      const base = pkgColor.get(pkgOf(name)) || '#c3c9d4';
      c = mix(base, (hash(name) % 4) * 0.08);
      colorCache.set(name, c);
    }
    return c;
  }

  // ---- tooltip ----
  const tip = $('#tip');
  function showTip(ev, html) {
    tip.innerHTML = html;
    tip.hidden = false;
    moveTip(ev);
  }
  function moveTip(ev) {
    const pad = 14, r = tip.getBoundingClientRect();
    let x = ev.clientX + pad, y = ev.clientY + pad;
    if (x + r.width > innerWidth - 8) x = ev.clientX - r.width - pad;
    if (y + r.height > innerHeight - 8) y = ev.clientY - r.height - pad;
    tip.style.left = Math.max(4, x) + 'px';
    tip.style.top = Math.max(4, y) + 'px';
  }
  const hideTip = () => { tip.hidden = true; };
  const rows = (pairs) => '<table>' + pairs.filter(Boolean).map(([k, v]) => `<tr><td>${esc(k)}</td><td>${v}</td></tr>`).join('') + '</table>';

  // ---- header, cards, notes ----
  const S = D.summary;
  $('#inputs').textContent = D.title.replace(/^autotrace report: /, '');
  const cards = $('#cards');
  const card = (k, v, sub, cls) => {
    const c = el('div', 'card' + (cls ? ' ' + cls : ''));
    c.append(el('div', 'k', k));
    c.append(el('div', 'v', v));
    if (sub) c.append(el('div', 's', sub));
    cards.append(c);
  };
  card('Spans', fmtCount(S.spans), fmtCount(S.roots) + ' root' + (S.roots === 1 ? '' : 's'));
  card('Span names', fmtCount(D.hotspots.length), pkgs.length + ' package' + (pkgs.length === 1 ? '' : 's'));
  card('Processes', fmtCount(S.processes || new Set(D.traces.flatMap((t) => t.pids)).size), D.processes.map((p) => p.cmd).filter(Boolean).slice(0, 3).join(', '));
  card('Wall time', fmtDur(S.wall), S.start ? new Date(S.start / 1e6).toISOString().slice(0, 19).replace('T', ' ') + ' UTC' : '');
  card('Errors', fmtCount(S.errors), S.spans ? fmtPct(S.errors / S.spans) + ' of spans' : '', S.errors ? 'bad' : '');
  card('Panics', fmtCount(S.panics), S.spans ? fmtPct(S.panics / S.spans) + ' of spans' : '', S.panics ? 'bad' : '');
  if (S.malformed || S.dropped || S.never_ended) card('Not counted', fmtCount(S.malformed + S.dropped + S.never_ended), [S.malformed && S.malformed + ' malformed', S.dropped && S.dropped + ' dropped', S.never_ended && S.never_ended + ' open'].filter(Boolean).join(', '), 'warn');

  const notes = $('#notes');
  const note = (text, warn) => { const p = el('div', warn ? 'w' : null, text); notes.append(p); };
  if (S.malformed) note(`${fmtCount(S.malformed)} malformed line(s) skipped (${S.malformed_at.join(', ')}${S.malformed > S.malformed_at.length ? ', …' : ''}).`, true);
  if (S.dropped) note(`${fmtCount(S.dropped)} span(s) dropped by the recorder.`, true);
  if (S.never_ended) note(`${fmtCount(S.never_ended)} span(s) never ended (still open at shutdown).`, true);
  if (S.orphans) note(`${fmtCount(S.orphans)} span(s) whose parent is not in the input are shown as roots.`);
  if (S.evicted) note(`${fmtCount(S.evicted)} span(s) gave up waiting for their parent (memory cap) and are shown as roots.`, true);
  if (S.frames_cut) note('Flame graph frames narrower than 0.01% of the total are left out.');
  note(`Self time = duration minus the union of child spans. Percentiles within ${(100 * S.pct_error).toFixed(1)}% (log histogram). Generated ${D.generated}.`);

  // ---- flame graph ----
  const ROW = 20;
  function toNode(a, parent) {
    const n = { name: N[a[0]], total: a[1], self: a[2], count: a[3], errors: a[4], panics: a[5], parent, children: [] };
    n.children = a[6].map((c) => toNode(c, n)).sort((x, y) => y.total - x.total || (x.name < y.name ? -1 : 1));
    return n;
  }
  const root = D.flame ? toNode(D.flame, null) : null;
  let focus = root, search = '';
  const flameBox = $('#flame-graph');

  function renderFlame() {
    flameBox.textContent = '';
    if (!root || root.total <= 0) {
      flameBox.append(el('div', 'empty', 'No spans to show.'));
      return;
    }
    const W = flameBox.clientWidth;
    const chain = [];
    for (let n = focus; n; n = n.parent) chain.unshift(n);
    const frag = document.createDocumentFragment();
    let maxDepth = 0, hits = 0;
    const add = (n, x, w, depth, anc) => {
      const f = el('div', 'frame');
      if (n === root) f.classList.add('root');
      if (anc) f.classList.add('anc');
      if (n.errors || n.panics) f.classList.add('err');
      if (search && n.name.toLowerCase().includes(search)) { f.classList.add('hit'); hits++; }
      f.style.cssText = `left:${x.toFixed(1)}px;width:${Math.max(w - 1, 1).toFixed(1)}px;top:${depth * ROW}px;background:${colorOf(n.name)}`;
      if (w > 40) f.textContent = n === root ? 'all' : n.name;
      f.dataset.name = n === root ? 'all' : n.name;
      f._node = n;
      frag.append(f);
      maxDepth = Math.max(maxDepth, depth);
    };
    chain.forEach((n, d) => { if (n !== focus) add(n, 0, W, d, true); });
    const scale = W / focus.total;
    const walk = (n, x, depth) => {
      const w = n.total * scale;
      if (w < 0.5) return;
      add(n, x, w, depth, false);
      let cx = x;
      for (const c of n.children) { walk(c, cx, depth + 1); cx += c.total * scale; }
    };
    walk(focus, 0, chain.length - 1);
    flameBox.style.height = (maxDepth + 1) * ROW + 'px';
    flameBox.classList.toggle('searching', !!search);
    flameBox.append(frag);
    flameBox.dataset.focus = focus === root ? 'all' : focus.name;
    flameBox.dataset.hits = hits;

    const crumbs = $('#flame-crumbs');
    crumbs.textContent = '';
    chain.forEach((n, i) => {
      if (i) crumbs.append(el('span', 'sep', '›'));
      const label = n === root ? 'all' : n.name;
      if (n === focus) crumbs.append(el('b', null, label));
      else { const a = el('a', null, label); a.onclick = () => zoom(n); crumbs.append(a); }
    });
    if (focus !== root) crumbs.append(el('span', 'sep', '·'), document.createTextNode(fmtPct(focus.total / root.total) + ' of all'));
  }
  function zoom(n) { focus = n; renderFlame(); }
  flameBox.addEventListener('click', (ev) => {
    const f = ev.target.closest('.frame');
    if (f) zoom(f._node === focus && focus.parent ? focus.parent : f._node);
  });
  flameBox.addEventListener('mousemove', (ev) => {
    const f = ev.target.closest('.frame');
    if (!f) return hideTip();
    const n = f._node;
    showTip(ev, `<h4>${esc(n === root ? 'all spans' : n.name)}</h4>` + rows([
      ['Total', `${fmtDur(n.total)} <span style="color:#9aa6c4">(${fmtPct(n.total / root.total)})</span>`],
      ['Self', `${fmtDur(n.self)} <span style="color:#9aa6c4">(${fmtPct(n.self / root.total)})</span>`],
      n !== root && ['Spans', fmtCount(n.count)],
      n !== root && n.count && ['Per span', fmtDur(n.total / n.count)],
      n.errors && ['Errors', fmtCount(n.errors)],
      n.panics && ['Panics', fmtCount(n.panics)],
      n !== root && ['Package', esc(pkgOf(n.name))],
    ]));
  });
  flameBox.addEventListener('mouseleave', hideTip);
  $('#flame-reset').onclick = () => zoom(root);
  $('#flame-search').addEventListener('input', (ev) => { search = ev.target.value.trim().toLowerCase(); renderFlame(); });

  const legend = $('#legend');
  const allSelf = [...pkgSelf.values()].reduce((a, b) => a + b, 0) || 1;
  for (const p of pkgs.slice(0, 14)) {
    const s = el('span');
    const i = el('i');
    i.style.background = pkgColor.get(p);
    s.append(i, el('b', null, p), document.createTextNode(fmtPct(pkgSelf.get(p) / allSelf)));
    legend.append(s);
  }

  // ---- timeline ----
  const pick = $('#trace-pick'), tl = $('#tl'), info = $('#trace-info');
  const procName = new Map(D.processes.map((p) => [p.pid, p.cmd]));
  D.traces.forEach((t, i) => {
    const o = new Option(`#${i + 1}  ${fmtDur(t.dur)}  ${N[t.root]}  · ${fmtCount(t.span_count)} spans` +
      (t.errors ? ` · ${t.errors} err` : '') + (t.panics ? ` · ${t.panics} panic` : ''), String(i));
    pick.append(o);
  });
  const GUTTER = 150, LROW = 21;
  function niceStep(raw) {
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
    return 10 * p;
  }
  function renderTrace() {
    tl.textContent = '';
    info.textContent = '';
    const old = $('.path');
    if (old) old.remove();
    const t = D.traces[+pick.value];
    if (!t) { tl.append(el('div', 'empty', 'No traces.')); return; }
    const W = tl.clientWidth - GUTTER, span = Math.max(t.dur, 1), x = (ns) => GUTTER + (ns / span) * W;

    const facts = [['trace', `<code>${esc(t.id)}</code>`], ['duration', `<span class="st">${fmtDur(t.dur)}</span>`],
      ['spans', `<span class="st">${fmtCount(t.span_count)}</span>`],
      ['processes', `<span class="st">${t.pids.length}</span>`],
      ['started', `<span class="st">${new Date(t.start / 1e6).toISOString().replace('T', ' ').replace('Z', ' UTC')}</span>`]];
    if (t.errors) facts.push(['errors', `<span class="bad">${t.errors}</span>`]);
    if (t.panics) facts.push(['panics', `<span class="bad">${t.panics}</span>`]);
    info.innerHTML = facts.map(([k, v]) => `<span>${k} ${v}</span>`).join('') + (t.truncated ? '<span>(longest spans only)</span>' : '');

    const crit = t.spans.map((s, i) => [s, i]).filter(([s]) => s[9]).sort((a, b) => a[0][9] - b[0][9]);
    if (crit.length) {
      const path = el('div', 'path');
      path.append(el('span', 'lbl', 'Critical path'));
      crit.forEach(([s], i) => {
        if (i) path.append(el('span', 'arrow', '→'));
        const st = el('span', 'step', N[s[0]]);
        st.append(el('em', null, fmtDur(s[2])));
        path.append(st);
      });
      info.after(path);
    }

    // Axis and grid.
    const axis = el('div', 'axis');
    const step = niceStep(span / Math.max(1, W / 110));
    const grid = [];
    for (let v = 0; v <= span + 1e-9; v += step) {
      const tk = el('div', 'tick', fmtDur(v));
      tk.style.left = x(v) + 'px';
      axis.append(tk);
      grid.push(x(v));
    }
    tl.append(axis);

    // Processes and their lanes.
    const depthOf = new Map();
    for (const s of t.spans) {
      const k = s[3] + ':' + s[4];
      depthOf.set(k, Math.max(depthOf.get(k) || 0, s[5]));
    }
    for (const [pid, lanes] of t.lanes) {
      const proc = el('div', 'proc');
      const head = el('div', 'proc-head', procName.get(pid) || 'process');
      head.append(el('span', null, `pid ${pid} · ${lanes} lane${lanes === 1 ? '' : 's'}`));
      proc.append(head);
      const laneEls = [];
      for (let l = 0; l < lanes; l++) {
        const lane = el('div', 'lane');
        lane.style.height = ((depthOf.get(pid + ':' + l) || 0) + 1) * LROW + 4 + 'px';
        lane.append(el('div', 'lane-label', 'lane ' + (l + 1)));
        proc.append(lane);
        laneEls.push(lane);
      }
      t.spans.forEach((s, i) => {
        if (s[3] !== pid) return;
        const b = el('div', 'bar');
        const left = x(s[1]), w = Math.max((s[2] / span) * W, 1);
        b.style.cssText = `left:${left.toFixed(1)}px;width:${w.toFixed(1)}px;top:${2 + s[5] * LROW}px;background:${colorOf(N[s[0]])}`;
        if (w > 36) b.textContent = N[s[0]];
        if (s[6] === 1) b.classList.add('err');
        if (s[6] === 2) b.classList.add('panic');
        if (s[9]) b.classList.add('crit');
        if (s[11] > 0) { // folded calls: a band in their parent
          b.classList.add('folded');
          if (w > 36) b.textContent = `${N[s[0]]} ×${fmtCount(s[11])}`;
        }
        b._span = i;
        laneEls[s[4]].append(b);
      });
      tl.append(proc);
    }
    for (const gx of grid) {
      const g = el('div', 'grid');
      g.style.left = gx + 'px';
      tl.append(g);
    }
    tl.classList.toggle('show-crit', $('#crit').checked);
    tl._trace = t;
  }
  tl.addEventListener('mousemove', (ev) => {
    const b = ev.target.closest('.bar');
    if (!b) return hideTip();
    const t = tl._trace, s = t.spans[b._span];
    const parent = s[7] >= 0 ? N[t.spans[s[7]][0]] : null;
    const status = ['ok', 'error', 'panic'][s[6]] || 'ok';
    showTip(ev, `<h4>${esc(N[s[0]])}</h4>` + rows([
      s[11] > 0 && ['Folded', `${fmtCount(s[11])} calls, their durations summed (drawn from the first call's start)`],
      [s[11] > 0 ? 'Time' : 'Duration', fmtDur(s[2])],
      ['Starts at', '+' + fmtDur(s[1])],
      ['Process', `${esc(procName.get(s[3]) || '')} pid ${s[3]}`],
      ['Status', status === 'ok' ? 'ok' : `<span style="color:#ff9aa8">${status}</span>`],
      parent && ['Parent', esc(parent)],
      s[9] && ['', 'on the critical path'],
      ...(s[10] >= 0 ? t.attrs[s[10]].map(([k, v]) => [k, esc(v)]) : []),
    ]) + (s[8] >= 0 ? `<div class="e">${esc(t.errs[s[8]])}</div>` : ''));
  });
  tl.addEventListener('mouseleave', hideTip);
  pick.onchange = renderTrace;
  $('#crit').onchange = (ev) => tl.classList.toggle('show-crit', ev.target.checked);

  // ---- hotspot table ----
  const COLS = [
    { key: 'name', label: 'Name', i: 0, str: true },
    { key: 'count', label: 'Count', i: 1, fmt: fmtCount },
    { key: 'errors', label: 'Errors', i: 2, fmt: fmtCount, bad: true },
    { key: 'panics', label: 'Panics', i: 3, fmt: fmtCount, bad: true },
    { key: 'total', label: 'Total', i: 4, fmt: fmtDur },
    { key: 'self', label: 'Self', i: 5, fmt: fmtDur },
    { key: 'selfpct', label: 'Self %', i: 5, pct: true },
    { key: 'mean', label: 'Mean', i: 6, fmt: fmtDur },
    { key: 'p50', label: 'P50', i: 7, fmt: fmtDur },
    { key: 'p95', label: 'P95', i: 8, fmt: fmtDur },
    { key: 'p99', label: 'P99', i: 9, fmt: fmtDur },
    { key: 'max', label: 'Max', i: 10, fmt: fmtDur },
  ];
  const table = $('#hot-table');
  // The -by breakdowns: one attribute's at a time, picked here.
  let byIdx = D.by && D.by.length ? 0 : -1;
  if (byIdx >= 0) {
    $('#hot-hint').append(document.createTextNode(' Indented rows break a name down by the values of an attribute (report -by): '));
    const pickBy = el('select');
    pickBy.id = 'by-pick';
    D.by.forEach((k, i) => { const o = el('option', null, k); o.value = String(i); pickBy.append(o); });
    const none = el('option', null, 'none');
    none.value = '-1';
    pickBy.append(none);
    pickBy.onchange = () => { byIdx = +pickBy.value; renderTable(); };
    $('#hot-hint').append(pickBy);
  }
  const totalSelf = D.hotspots.reduce((a, h) => a + h[5], 0) || 1;
  const maxSelf = Math.max(1, ...D.hotspots.map((h) => h[5]));
  let sortKey = 'self', sortDir = -1, filter = '', selected = '';
  const headRow = el('tr');
  for (const c of COLS) {
    const th = el('th', null, c.label);
    th.dataset.key = c.key;
    th.scope = 'col';
    th.onclick = () => {
      if (sortKey === c.key) sortDir = -sortDir;
      else { sortKey = c.key; sortDir = c.str ? 1 : -1; }
      renderTable();
    };
    headRow.append(th);
  }
  table.tHead.append(headRow);
  function renderTable() {
    const col = COLS.find((c) => c.key === sortKey);
    for (const th of headRow.children) {
      if (th.dataset.key === sortKey) th.setAttribute('aria-sort', sortDir < 0 ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
    }
    const data = D.hotspots.filter((h) => !filter || N[h[0]].toLowerCase().includes(filter));
    data.sort((a, b) => {
      const x = col.str ? N[a[0]] : a[col.i], y = col.str ? N[b[0]] : b[col.i];
      return (x < y ? -1 : x > y ? 1 : 0) * sortDir || b[5] - a[5];
    });
    const body = table.tBodies[0];
    body.textContent = '';
    const frag = document.createDocumentFragment();
    for (const h of data) {
      const tr = el('tr');
      const name = N[h[0]];
      if (name === selected) tr.classList.add('sel');
      for (const c of COLS) {
        const td = el('td');
        if (c.str) {
          const dot = el('i');
          dot.style.background = colorOf(name);
          td.append(dot, document.createTextNode(name));
          td.title = name;
        } else if (c.pct) {
          td.className = 'pct';
          const bar = el('span', 'pbar'), fill = el('b');
          fill.style.width = (100 * h[5] / maxSelf).toFixed(1) + '%';
          bar.append(fill);
          td.append(bar, document.createTextNode(fmtPct(h[5] / totalSelf)));
        } else {
          td.textContent = c.fmt(h[c.i]);
          if (c.bad && h[c.i]) td.className = 'bad';
          else if (h[c.i] === 0 && c.i <= 3) td.className = 'zero';
        }
        tr.append(td);
      }
      tr.onclick = () => {
        selected = selected === name ? '' : name;
        search = selected.toLowerCase();
        $('#flame-search').value = selected;
        renderFlame();
        renderTable();
      };
      frag.append(tr);
      // The -by breakdown: one row per value, under its name.
      for (const g of (byIdx >= 0 && D.groups[byIdx][h[0]]) || []) {
        const gr = el('tr', 'grp');
        for (const c of COLS) {
          const td = el('td');
          if (c.str) { td.textContent = N[g[0]]; td.title = N[g[0]]; }
          else if (c.pct) { td.className = 'pct'; td.textContent = fmtPct(g[5] / totalSelf); }
          else td.textContent = c.fmt(g[c.i]);
          gr.append(td);
        }
        frag.append(gr);
      }
    }
    body.append(frag);
    table.dataset.sort = sortKey + (sortDir < 0 ? ':desc' : ':asc');
  }
  $('#table-filter').addEventListener('input', (ev) => { filter = ev.target.value.trim().toLowerCase(); renderTable(); });

  // ---- active time (execution trace) ----
  const ACOLORS = { cpu: '#78c9a8', runnable: '#f2cf6b', channel: '#86aef2', select: '#6dc4d3', sync: '#ec9480',
    network: '#b8a4f2', syscall: '#f5ae6b', sleep: '#9db0cc', gc: '#dc97dc', other: '#c9c9c9' };
  function renderActive(A) {
    $('#active').hidden = false;
    $('#active-link').hidden = false;
    const legend = $('#active-legend');
    for (const c of A.categories) {
      const i = el('i');
      i.style.background = ACOLORS[c];
      legend.append(el('span', null, ''), i, document.createTextNode(' ' + c + '  '));
    }
    const head = (table, cols) => {
      const tr = el('tr');
      for (const c of cols) tr.append(el('th', null, c));
      table.tHead.append(tr);
    };
    const at = $('#active-table');
    head(at, ['Name', 'Count', 'Wall', 'Breakdown', 'CPU', 'Runnable', 'Blocked', 'Elsewhere', 'Blocked by']);
    const frag = document.createDocumentFragment();
    for (const n of A.names) {
      const tr = el('tr');
      const total = A.categories.reduce((a, c) => a + n.ns[c], 0) || 1;
      const bar = el('span', 'stack');
      const tip = [];
      for (const c of A.categories) {
        if (!n.ns[c]) continue;
        const b = el('b');
        b.style.width = (100 * n.ns[c] / total).toFixed(2) + '%';
        b.style.background = ACOLORS[c];
        bar.append(b);
        tip.push(c + ' ' + fmtDur(n.ns[c]));
      }
      bar.title = tip.join(', ');
      const by = A.categories.filter((c) => !['cpu', 'runnable'].includes(c) && n.ns[c] > 0)
        .sort((a, b) => n.ns[b] - n.ns[a]).map((c) => c + ' ' + fmtDur(n.ns[c])).join(', ');
      const name = el('td', null, n.name);
      name.title = n.name;
      const bc = el('td');
      bc.append(bar);
      tr.append(name, el('td', null, fmtCount(n.count)), el('td', null, fmtDur(n.wall_ns)), bc,
        el('td', null, fmtDur(n.ns.cpu)), el('td', null, fmtDur(n.ns.runnable)), el('td', null, fmtDur(n.blocked_ns)),
        el('td', null, fmtDur(n.elsewhere_ns)), el('td', 'by', by));
      frag.append(tr);
    }
    at.tBodies[0].append(frag);
    const bt = $('#block-table');
    head(bt, ['Name', 'Reason', 'Blocked', 'Times', 'Function', 'Location']);
    const f2 = document.createDocumentFragment();
    for (const n of A.names) {
      for (const l of n.locations.slice(0, 5)) {
        const tr = el('tr');
        const loc = el('td', 'loc', l.file.split('/').slice(-2).join('/') + ':' + l.line);
        loc.title = l.file + ':' + l.line;
        tr.append(el('td', null, n.name), el('td', null, l.reason), el('td', null, fmtDur(l.blocked_ns)),
          el('td', null, fmtCount(l.count)), el('td', null, l.func), loc);
        f2.append(tr);
      }
    }
    bt.tBodies[0].append(f2);
    const lt = $('#long-table');
    head(lt, ['Span', 'Name', 'Wall', 'Goroutines', 'CPU', 'Runnable', 'Blocked', 'Elsewhere', 'Blocked by']);
    const f3 = document.createDocumentFragment();
    for (const s of A.spans) {
      const tr = el('tr');
      const by = A.categories.filter((c) => !['cpu', 'runnable'].includes(c) && s.ns[c] > 0)
        .sort((a, b) => s.ns[b] - s.ns[a]).map((c) => c + ' ' + fmtDur(s.ns[c])).join(', ');
      tr.append(el('td', 'loc', s.span_id), el('td', null, s.name), el('td', null, fmtDur(s.wall_ns)),
        el('td', null, fmtCount(s.goroutines)), el('td', null, fmtDur(s.ns.cpu)), el('td', null, fmtDur(s.ns.runnable)),
        el('td', null, fmtDur(s.blocked_ns)), el('td', null, fmtDur(s.elsewhere_ns)), el('td', 'by', by));
      f3.append(tr);
    }
    lt.tBodies[0].append(f3);
    const pt = $('#path-table');
    head(pt, ['Trace', 'Critical path', 'Duration', 'CPU', 'Runnable', 'Blocked', 'Elsewhere', 'Blocked by']);
    const f4 = document.createDocumentFragment();
    for (const p of A.critical_paths) {
      p.steps.forEach((s, i) => {
        const tr = el('tr');
        const ns = s.ns || {};
        const by = A.categories.filter((c) => !['cpu', 'runnable'].includes(c) && ns[c] > 0)
          .sort((a, b) => ns[b] - ns[a]).map((c) => c + ' ' + fmtDur(ns[c])).join(', ');
        const cell = (v) => el('td', null, s.ns ? fmtDur(v) : '–');
        const name = el('td', 'loc', '\u00a0'.repeat(2 * s.depth) + s.name);
        tr.append(el('td', 'loc', i === 0 ? p.trace_id.slice(0, 16) + '…' : ''), name, el('td', null, fmtDur(s.dur_ns)),
          cell(ns.cpu), cell(ns.runnable), cell(s.blocked_ns), cell(s.elsewhere_ns), el('td', 'by', s.ns ? by : 'not in the execution trace'));
        f4.append(tr);
      });
    }
    pt.tBodies[0].append(f4);
  }
  if (D.active) renderActive(D.active);

  // ---- run timeline: the whole run, levels of detail ----
  const R = D.run;
  const runWrap = $('#run-wrap'), runCanvas = $('#run-canvas'), runView = $('#run-view');
  const RG = 150, RAXIS = 22, RSTRIP = 44, RROW = 13, RROWS = 6;
  const runTrackH = RSTRIP + RROWS * RROW + 8;
  const runSpans = []; // per track: real spans to draw zoomed in, [start, dur, name, depth, trace]
  let runV0 = 0, runV1 = Math.max(S.wall, 1), runHits = [];
  if (!R || !R.tracks.length) {
    $('#run').hidden = true;
  } else {
    const trackOf = new Map(R.tracks.map((t, i) => [t.pid, i]));
    R.tracks.forEach((t, i) => {
      runSpans[i] = t.roots.map((r) => [r[0], r[1], r[2], 0, -1]);
    });
    D.traces.forEach((t, ti) => {
      for (const s of t.spans) {
        const i = trackOf.has(s[3]) ? trackOf.get(s[3]) : trackOf.get(-1);
        if (i !== undefined) runSpans[i].push([t.start - S.start + s[1], s[2], s[0], Math.min(s[5], RROWS - 1), ti]);
      }
    });
    for (const l of runSpans) l.sort((a, b) => a[0] - b[0]);
    // The peak of traces in flight per level and track, for the heights.
    for (const lv of R.levels) {
      lv.peak = lv.buckets.map((b) => { let m = 0; for (let i = 0; i < b.length; i += 6) m = Math.max(m, b[i + 2]); return Math.max(m / lv.width, 1e-9); });
    }
  }
  // lowerBound returns the first k in [0, n) with key(k) >= v.
  function lowerBound(n, key, v) {
    let lo = 0, hi = n;
    while (lo < hi) { const m = (lo + hi) >> 1; if (key(m) < v) lo = m + 1; else hi = m; }
    return lo;
  }
  function runLevel(nsPerPx) {
    // The finest level whose buckets are at least a pixel wide, else the coarsest.
    for (const lv of R.levels) if (lv.width >= nsPerPx) return lv;
    return R.levels[R.levels.length - 1];
  }
  function renderRun() {
    if (!R || !R.tracks.length) return;
    const dpr = devicePixelRatio || 1, W = runWrap.clientWidth, H = RAXIS + R.tracks.length * runTrackH;
    runCanvas.width = W * dpr; runCanvas.height = H * dpr;
    runCanvas.style.width = W + 'px'; runCanvas.style.height = H + 'px';
    const g = runCanvas.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, W, H);
    const PW = Math.max(W - RG, 10), nsPerPx = (runV1 - runV0) / PW;
    const x = (ns) => RG + (ns - runV0) / nsPerPx;
    const lv = runLevel(nsPerPx);
    runHits = [];
    // Axis.
    g.font = '11px ui-monospace, SFMono-Regular, Menlo, monospace';
    g.fillStyle = '#8a93a3'; g.strokeStyle = '#e6e9ef';
    const step = niceStep((runV1 - runV0) / Math.max(1, PW / 110));
    // Deep in the run, ticks after the first are labelled from it.
    const tick0 = Math.ceil(runV0 / step) * step, rel = step * 1000 < tick0;
    for (let v = tick0; v <= runV1; v += step) {
      const gx = Math.round(x(v)) + 0.5;
      g.beginPath(); g.moveTo(gx, 0); g.lineTo(gx, H); g.stroke();
      g.fillText(rel && v > tick0 ? '+' + fmtDur(v - tick0) : fmtDur(v), gx + 3, 14);
    }
    const procName = new Map(D.processes.map((p) => [p.pid, p.cmd]));
    R.tracks.forEach((t, ti) => {
      const y0 = RAXIS + ti * runTrackH;
      g.fillStyle = '#fafbfc'; g.fillRect(0, y0, RG - 4, runTrackH - 1);
      g.fillStyle = '#1b2130'; g.font = '600 12px system-ui, sans-serif';
      let label = t.pid < 0 ? 'other processes' : (procName.get(t.pid) || 'process');
      while (label.length > 4 && g.measureText(label).width > RG - 18) label = label.slice(0, -2);
      if (label !== (procName.get(t.pid) || 'process') && t.pid >= 0) label += '…';
      g.fillText(label, 10, y0 + 16);
      g.fillStyle = '#8a93a3'; g.font = '11px ui-monospace, SFMono-Regular, Menlo, monospace';
      if (t.pid >= 0) g.fillText('pid ' + t.pid, 10, y0 + 31);
      g.fillStyle = '#e6e9ef'; g.fillRect(0, y0 + runTrackH - 1, W, 1);
      g.save();
      g.beginPath(); g.rect(RG, y0, W - RG, runTrackH); g.clip();
      drawTrack(g, t, ti, y0, lv, nsPerPx, x, W);
      g.restore();
    });
    runView.textContent = `${fmtDur(runV0)} – ${fmtDur(runV1)} · buckets of ${fmtDur(lv.width)}`;
    // For tests: the level drawn, what was drawn, where a bucket is.
    const bs = runHits.filter((h) => h[4] === 'b'), big = bs.reduce((m, h) => (h[3] > 0 && (!m || h[2] > m[2]) ? h : m), null);
    Object.assign(runWrap.dataset, { width: lv.width, buckets: bs.length, spans: runHits.length - bs.length,
      bucket: big ? `${Math.round(big[0] + big[2] / 2)},${Math.round(big[1] + big[3] - 3)}` : '' });
  }
  // drawTrack draws track ti's buckets of level lv in view and, zoomed in, its real spans.
  function drawTrack(g, t, ti, y0, lv, nsPerPx, x, W) {
    {
      // Buckets of the level, those in view.
      const b = lv.buckets[ti], n = b.length / 6, peak = lv.peak[ti];
      const iFrom = Math.floor((runV0 - lv.first) / lv.width) - 1;
      for (let k = lowerBound(n, (k) => b[6 * k], iFrom); k < n; k++) {
        const j = 6 * k, t0 = lv.first + b[j] * lv.width;
        if (t0 > runV1) break;
        const bx = x(t0), bw = Math.max(lv.width / nsPerPx, 1);
        const h = Math.max(2, Math.min(1, b[j + 2] / lv.width / peak) * (RSTRIP - 6));
        g.fillStyle = b[j + 4] >= 0 ? colorOf(N[b[j + 4]]) : '#c3c9d4';
        g.fillRect(bx, y0 + RSTRIP - h, bw, h);
        runHits.push([bx, y0 + 2, bw, RSTRIP - 2, 'b', ti, j]);
      }
      // Real spans, once the finest buckets are a few pixels wide.
      if (R.levels[0].width / nsPerPx < 3) return;
      const sp = runSpans[ti];
      const longest = sp.reduce((m, s) => Math.max(m, s[1]), 0);
      for (let k = lowerBound(sp.length, (k) => sp[k][0], runV0 - longest); k < sp.length; k++) {
        const s = sp[k];
        if (s[0] > runV1) break;
        if (s[0] + s[1] < runV0) continue;
        const sx = Math.max(x(s[0]), RG), sw = Math.max(Math.min(x(s[0] + s[1]), W) - sx, 1);
        const sy = y0 + RSTRIP + 4 + s[3] * RROW;
        g.fillStyle = colorOf(N[s[2]]);
        g.fillRect(sx, sy, sw, RROW - 2);
        if (s[4] >= 0 && s[3] === 0) { g.strokeStyle = '#1b2130'; g.strokeRect(sx + 0.5, sy + 0.5, sw - 1, RROW - 3); g.strokeStyle = '#e6e9ef'; }
        if (sw > 40) { g.fillStyle = '#1b2130'; g.fillText(N[s[2]].slice(0, Math.floor(sw / 7)), sx + 3, sy + RROW - 3); }
        runHits.push([sx, sy, sw, RROW - 2, 's', ti, k]);
      }
    }
  }
  if (R && R.tracks.length) {
    const zoomTo = (a, b) => {
      const min = 1000, full = Math.max(S.wall, 1);
      if (b - a < min) { const m = (a + b) / 2; a = m - min / 2; b = m + min / 2; }
      if (b - a > full) { a = 0; b = full; }
      if (a < 0) { b -= a; a = 0; }
      if (b > full) { a -= b - full; b = full; }
      runV0 = Math.max(0, a); runV1 = b;
      renderRun();
    };
    const nsAt = (ev) => {
      const r = runCanvas.getBoundingClientRect(), PW = Math.max(r.width - RG, 10);
      return runV0 + Math.max(0, ev.clientX - r.left - RG) / PW * (runV1 - runV0);
    };
    runWrap.addEventListener('wheel', (ev) => {
      ev.preventDefault();
      const at = nsAt(ev), f = ev.deltaY > 0 ? 1.25 : 0.8;
      zoomTo(at - (at - runV0) * f, at + (runV1 - at) * f);
    }, { passive: false });
    let drag = null;
    runWrap.addEventListener('mousedown', (ev) => { drag = { x: ev.clientX, v0: runV0, v1: runV1 }; runWrap.classList.add('drag'); });
    addEventListener('mouseup', () => { drag = null; runWrap.classList.remove('drag'); });
    runWrap.addEventListener('dblclick', () => zoomTo(0, S.wall));
    $('#run-reset').onclick = () => zoomTo(0, S.wall);
    runWrap.addEventListener('mousemove', (ev) => {
      const r = runCanvas.getBoundingClientRect();
      if (drag) {
        const d = (ev.clientX - drag.x) / Math.max(r.width - RG, 10) * (drag.v1 - drag.v0);
        zoomTo(drag.v0 - d, drag.v1 - d);
        return hideTip();
      }
      const px = ev.clientX - r.left, py = ev.clientY - r.top;
      let hit = null;
      for (let i = runHits.length - 1; i >= 0; i--) {
        const h = runHits[i];
        if (px >= h[0] && px <= h[0] + Math.max(h[2], 2) && py >= h[1] && py <= h[1] + h[3]) { hit = h; break; }
      }
      if (!hit) return hideTip();
      if (hit[4] === 'b') {
        const lv = runLevel((runV1 - runV0) / Math.max(r.width - RG, 10)), b = lv.buckets[hit[5]], j = hit[6];
        const t0 = lv.first + b[j] * lv.width;
        showTip(ev, `<h4>${fmtDur(Math.max(t0, 0))} – ${fmtDur(t0 + lv.width)}</h4>` + rows([
          ['Spans started', fmtCount(b[j + 1])],
          ['Traces in flight', (b[j + 2] / lv.width).toFixed(2) + ' (mean)'],
          ['Self time', fmtDur(b[j + 3])],
          b[j + 4] >= 0 && ['Most self time', `${esc(N[b[j + 4]])} (${fmtPct(b[j + 5] / Math.max(b[j + 3], 1))})`],
        ]));
      } else {
        const s = runSpans[hit[5]][hit[6]];
        showTip(ev, `<h4>${esc(N[s[2]])}</h4>` + rows([
          ['Duration', fmtDur(s[1])],
          ['Starts at', '+' + fmtDur(s[0])],
          s[4] >= 0 ? ['', `in slowest trace #${s[4] + 1}`] : ['', 'the longest trace of its bucket'],
        ]));
      }
    });
    runWrap.addEventListener('mouseleave', hideTip);
  }

  // ---- go ----
  function renderAll() { renderFlame(); renderRun(); renderTrace(); }
  renderTable();
  renderAll();
  let resizeTimer = 0;
  addEventListener('resize', () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(renderAll, 100); });
  document.body.dataset.ready = '1';
})();
