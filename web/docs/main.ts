// `/docs`: interactive API docs rendered in the browser from the service's own /openapi.json. One
// <details> per operation with its parameters, a body field where it takes one, and "Try it",
// which calls the route with the key typed at the top (held in this page only).
import { byId, el, on } from '../lib/dom';

/** The part of an OpenAPI 3.1 document this page reads. */
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  description?: string;
  schema?: { example?: unknown };
}
/** Who may call an operation: the access rule declared with its route (shared/http/route.ts). */
type Access = 'public' | 'staff' | 'lot-writer' | 'integration' | 'public-staff-for-past';
interface Operation {
  'x-access'?: Access;
  summary?: string;
  description?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, unknown> };
}
const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
type Method = (typeof METHODS)[number];
/** A path item may hold `parameters`, `summary`… beside its operations: only methods are operations. */
type PathItem = Partial<Record<Method, Operation>> & Record<string, unknown>;
interface OpenApiDocument {
  paths: Record<string, PathItem>;
}

function isMethod(name: string): name is Method {
  return (METHODS as readonly string[]).includes(name);
}

const ACCESS_LABELS: Record<Access, string> = {
  public: 'anyone',
  staff: 'staff key',
  'lot-writer': "the lot's sensor key, or staff",
  integration: "the integration's secret (network server)",
  'public-staff-for-past': 'anyone; a past asOf needs a staff key',
};

const ops = byId('ops', HTMLElement);
const key = byId('key', HTMLInputElement);

function operation(path: string, method: Method, op: Operation): HTMLDetailsElement {
  const inputs = (op.parameters ?? []).map((prm) => {
    const input = el('input', {
      placeholder: prm.schema?.example === undefined ? '' : String(prm.schema.example),
    });
    return {
      prm,
      input,
      label: el('label', { text: `${prm.in} ${prm.name}${prm.required ? ' (required)' : ''} ` }, input),
    };
  });
  const mediaTypes = Object.keys(op.requestBody?.content ?? {});
  const body = mediaTypes.length
    ? el('textarea', { placeholder: `${mediaTypes[0]} body`, 'aria-label': 'Request body' })
    : null;
  const mediaType =
    mediaTypes.length > 1
      ? el(
          'select',
          { 'aria-label': 'Content type' },
          ...mediaTypes.map((t) => el('option', { value: t, text: t })),
        )
      : null;
  const out = el('pre');
  const tryIt = on(el('button', { type: 'button', text: 'Try it' }), 'click', async () => {
    let url = path;
    const query = new URLSearchParams();
    const headers = new Headers();
    for (const { prm, input } of inputs) {
      if (!input.value) continue;
      if (prm.in === 'path') url = url.replace(`{${prm.name}}`, encodeURIComponent(input.value));
      else if (prm.in === 'header') headers.set(prm.name, input.value);
      else if (prm.in === 'query') query.set(prm.name, input.value);
    }
    if (key.value) headers.set('authorization', `Bearer ${key.value}`);
    if (body) headers.set('content-type', mediaType?.value ?? mediaTypes[0] ?? 'application/json');
    out.textContent = '…';
    try {
      const search = query.toString();
      const res = await fetch(search ? `${url}?${search}` : url, {
        method: method.toUpperCase(),
        headers,
        body: body ? body.value : null,
      });
      out.textContent = `${res.status} ${res.statusText}\n${await res.text()}`;
    } catch (err) {
      out.textContent = `no answer: ${err instanceof Error ? err.message : String(err)}`;
    }
  });
  return el(
    'details',
    {},
    el(
      'summary',
      {},
      el('span', { class: `m ${method}`, text: method }),
      el('code', { text: path }),
      ' — ',
      el('span', { text: op.summary ?? '' }),
      op['x-access'] ? el('span', { class: 'access', text: ACCESS_LABELS[op['x-access']] }) : null,
    ),
    el(
      'div',
      { class: 'body' },
      op.description ? el('p', { text: op.description }) : null,
      ...inputs.map((i) => i.label),
      mediaType,
      body,
      tryIt,
      out,
    ),
  );
}

async function render(): Promise<void> {
  let doc: OpenApiDocument;
  try {
    const res = await fetch('/openapi.json', { headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
    doc = await res.json();
  } catch (err) {
    ops.replaceChildren(
      el('p', {
        class: 'error',
        text: `Could not load /openapi.json: ${err instanceof Error ? err.message : err}.`,
      }),
    );
    return;
  }
  ops.replaceChildren(
    ...Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter(isMethod)
        .flatMap((method) => {
          const op = item[method];
          return op ? [operation(path, method, op)] : [];
        }),
    ),
  );
}

await render();
performance.mark('parking:docs');
