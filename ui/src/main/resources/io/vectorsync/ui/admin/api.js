// The console's API reference: renders the OpenAPI document (GET /openapi as JSON) from this origin, with the
// console's own element helper — nothing from outside, every text set as text. Operations are grouped by tag; each
// opens to its description, parameters, request body and responses; schemas are listed at the end as JSON.

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
let loaded = null;

/** Renders the reference into `container` once (the document does not change while the server runs). */
export async function renderApi(container, h) {
  if (loaded) return loaded;
  loaded = load(container, h).catch(e => {
    loaded = null;
    container.replaceChildren(h('div', {class: 'error-box', role: 'alert'}, `The API document did not load: ${e.message}`));
  });
  return loaded;
}

async function load(container, h) {
  const response = await fetch('/openapi?format=json', {headers: {Accept: 'application/json'}});
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const doc = await response.json();
  const byTag = new Map((doc.tags || []).map(tag => [tag.name, {tag, operations: []}]));
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS.filter(m => item[m])) {
      const operation = item[method];
      const tag = (operation.tags || ['other'])[0];
      if (!byTag.has(tag)) byTag.set(tag, {tag: {name: tag}, operations: []});
      byTag.get(tag).operations.push({path, method, operation, shared: item.parameters || []});
    }
  }
  container.replaceChildren(h('div', {},
    h('p', {class: 'hint'}, `${doc.info.title} ${doc.info.version} · OpenAPI ${doc.openapi} · `,
      h('a', {href: '/openapi'}, 'YAML'), ' · ', h('a', {href: '/openapi?format=json'}, 'JSON')),
    h('details', {class: 'form-card'}, h('summary', {}, 'About this API'), h('p', {class: 'api-text'}, doc.info.description)),
    [...byTag.values()].map(({tag, operations}) => h('section', {class: 'api-tag', dataset: {tag: tag.name}},
      h('h2', {}, tag.name), tag.description ? h('p', {class: 'hint'}, tag.description) : null,
      operations.map(op => operationView(doc, op, h)))),
    h('h2', {}, 'Schemas'),
    Object.entries(doc.components.schemas).map(([name, schema]) => h('details', {class: 'form-card', id: `schema-${name}`},
      h('summary', {}, name), h('pre', {class: 'api-json'}, JSON.stringify(schema, null, 2))))));
}

function operationView(doc, {path, method, operation, shared}, h) {
  const parameters = [...shared, ...(operation.parameters || [])].map(p => resolve(doc, p));
  const body = operation.requestBody;
  return h('details', {class: 'form-card api-op', dataset: {test: 'operation', operation: `${method.toUpperCase()} ${path}`}},
    h('summary', {},
      h('span', {class: `pill method-${method}`}, method.toUpperCase()), ' ',
      h('code', {}, path), ' ', h('span', {class: 'api-summary'}, operation.summary || '')),
    operation.description ? h('p', {class: 'api-text'}, operation.description) : null,
    h('p', {class: 'hint'}, security(doc, operation)),
    parameters.length ? h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Parameter'), h('th', {}, 'In'), h('th', {}, 'Type'), h('th', {}, 'About'))),
      h('tbody', {}, parameters.map(p => h('tr', {},
        h('td', {}, h('code', {}, p.name), p.required ? ' *' : ''), h('td', {}, p.in),
        h('td', {}, typeOf(p.schema)), h('td', {}, p.description || ''))))) : null,
    body ? h('p', {}, h('strong', {}, body.required ? 'Body: ' : 'Body (optional): '),
      Object.entries(body.content).map(([type, media]) => h('span', {}, h('code', {}, type), ' ', typeOf(media.schema), ' '))) : null,
    h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Status'), h('th', {}, 'Answer'), h('th', {}, 'Body'))),
      h('tbody', {}, Object.entries(operation.responses).map(([status, ref]) => {
        const response = resolve(doc, ref);
        return h('tr', {}, h('td', {}, h('code', {}, status)), h('td', {}, response.description || ''),
          h('td', {}, Object.entries(response.content || {}).map(([type, media]) =>
            h('div', {}, h('code', {}, type), ' ', typeOf(media.schema)))));
      }))));
}

function security(doc, operation) {
  const requirements = operation.security || doc.security || [];
  if (!requirements.length) return 'Public.';
  return `Needs: ${requirements.map(r => Object.keys(r).join(' + ')).join(' or ')}.`;
}

function resolve(doc, node) {
  if (!node || !node.$ref) return node;
  return resolve(doc, node.$ref.slice(2).split('/').reduce((at, key) => at[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc));
}

function typeOf(schema) {
  if (!schema) return '';
  if (schema.$ref) return schema.$ref.split('/').pop();
  if (schema.enum) return schema.enum.join(' | ');
  if (schema.type === 'array') return `${typeOf(schema.items)}[]`;
  return [].concat(schema.type || 'any').join(' | ');
}
