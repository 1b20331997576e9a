// /docs: interactive API docs rendered in the browser from /openapi.json. Self-contained (no CDN):
// the service must work offline and on a closed network.
export function docsPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Parking finder API</title><link rel="icon" href="data:,">
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}
header{background:#0b3d5c;color:#fff;padding:1rem 1.5rem}main{max-width:60rem;margin:auto;padding:1rem}
details{background:#fff;border:1px solid #d0d7de;border-radius:6px;margin:.5rem 0}
summary{cursor:pointer;padding:.6rem .8rem;font-weight:600}
.m{display:inline-block;min-width:4.5rem;font-family:monospace;text-transform:uppercase}
.get{color:#0a6b2b}.post{color:#8a4b00}.put,.patch{color:#0b5cad}.delete{color:#b3261e}
.body{padding:0 .8rem .8rem}label{display:block;margin:.3rem 0}input,textarea{font:inherit;width:100%;box-sizing:border-box}
textarea{min-height:6rem;font-family:monospace}pre{background:#0d1117;color:#e6edf3;padding:.6rem;overflow:auto;border-radius:4px}
button{font:inherit;padding:.3rem .9rem}
</style></head>
<body><header><h1>Parking finder API</h1><p>Generated from <a style="color:#cde" href="/openapi.json">/openapi.json</a>.
Staff and sensor routes need <code>Authorization: Bearer &lt;secret&gt;</code>.</p>
<label>API key (kept in this tab only) <input id="key" type="password" autocomplete="off"></label></header>
<main id="ops">Loading…</main>
<script type="module">
const ops = document.getElementById('ops');
const spec = await (await fetch('/openapi.json')).json();
ops.textContent = '';
for (const [path, methods] of Object.entries(spec.paths)) {
  for (const [method, op] of Object.entries(methods)) {
    const d = document.createElement('details');
    const s = document.createElement('summary');
    s.innerHTML = '<span class="m ' + method + '"></span><code></code> — <span></span>';
    s.children[0].textContent = method; s.children[1].textContent = path; s.children[2].textContent = op.summary ?? '';
    d.append(s);
    const body = document.createElement('div'); body.className = 'body';
    if (op.description) { const p = document.createElement('p'); p.textContent = op.description; body.append(p); }
    const inputs = {};
    for (const prm of op.parameters ?? []) {
      const l = document.createElement('label'); l.textContent = prm.in + ' ' + prm.name + (prm.required ? ' (required)' : '');
      const i = document.createElement('input'); i.placeholder = prm.schema?.example ?? ''; l.append(i); body.append(l);
      inputs[prm.name] = { prm, i };
    }
    let ta;
    if (op.requestBody) { ta = document.createElement('textarea'); ta.placeholder = 'JSON body'; body.append(ta); }
    const b = document.createElement('button'); b.textContent = 'Try it'; const out = document.createElement('pre');
    b.onclick = async () => {
      let url = path; const q = new URLSearchParams();
      for (const { prm, i } of Object.values(inputs)) {
        if (!i.value) continue;
        if (prm.in === 'path') url = url.replace('{' + prm.name + '}', encodeURIComponent(i.value)); else q.set(prm.name, i.value);
      }
      const headers = {}; const key = document.getElementById('key').value;
      if (key) headers.authorization = 'Bearer ' + key;
      if (ta) headers['content-type'] = 'application/json';
      const r = await fetch(url + (q.size ? '?' + q : ''), { method: method.toUpperCase(), headers, body: ta ? ta.value : undefined });
      out.textContent = r.status + ' ' + r.statusText + '\\n' + await r.text();
    };
    body.append(b, out); d.append(body); ops.append(d);
  }
}
</script></body></html>`;
}
