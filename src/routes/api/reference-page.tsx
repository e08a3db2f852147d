import type { Messages } from '../../i18n/index.ts';
import { PROBLEM_TYPES } from './problem.ts';

/*
 * The browsable API reference: the OpenAPI document itself, rendered on the server into plain HTML
 * (no script, so it passes the app's content security policy and works without JavaScript).
 * Operations are listed by path; each problem type has an anchor, the target of its `type` URI.
 */

type Json = Record<string, any>;

function schemaName(schema: Json | undefined): string {
  if (!schema) return '';
  if (typeof schema.$ref === 'string') return schema.$ref.split('/').pop()!;
  if (schema.type === 'array') return `${schemaName(schema.items)}[]`;
  return String(schema.type ?? 'object');
}

function ParameterTable({ parameters, t }: { parameters: Json[]; t: Messages }) {
  if (parameters.length === 0) return null;
  return (
    <>
      <h4>{t.api.parameters}</h4>
      <table>
        <tbody>
          {parameters.map((p) => (
            <tr>
              <th scope="row">
                <code>{p.name}</code>
              </th>
              <td>{p.in}</td>
              <td>{schemaName(p.schema)}</td>
              <td>{p.description ?? p.schema?.description ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Responses({ responses, t }: { responses: Json; t: Messages }) {
  return (
    <>
      <h4>{t.api.responses}</h4>
      <ul>
        {Object.entries(responses).map(([status, r]: [string, Json]) => (
          <li>
            <code>{status}</code> {r.description}
            {r.content ? ` (${Object.entries(r.content as Json).map(([type, m]: [string, Json]) => `${type}: ${schemaName(m.schema)}`).join(', ')})` : ''}
          </li>
        ))}
      </ul>
    </>
  );
}

function Operation({ path, method, op, t }: { path: string; method: string; op: Json; t: Messages }) {
  const body = op.requestBody?.content?.['application/json']?.schema;
  return (
    <section class="panel" id={op.operationId ?? `${method}-${path}`}>
      <h3>
        <code>
          {method.toUpperCase()} {path}
        </code>
      </h3>
      <p>{op.summary}</p>
      {op.description && <p>{op.description}</p>}
      <p>
        {t.api.scope}: <code>{op['x-scope'] ?? '-'}</code>
      </p>
      <ParameterTable parameters={op.parameters ?? []} t={t} />
      {body && (
        <p>
          {t.api.requestBody}: <code>{schemaName(body)}</code>
        </p>
      )}
      <Responses responses={op.responses ?? {}} t={t} />
    </section>
  );
}

function ProblemTypes({ t }: { t: Messages }) {
  return (
    <section class="panel">
      <h2>{t.api.problemTypes}</h2>
      <dl>
        {PROBLEM_TYPES.map((type) => {
          const text = t.api.problems[type];
          return (
            <>
              <dt id={`problem-${type}`}>
                <code>{type}</code>: {text.title}
              </dt>
              <dd>{typeof text.detail === 'string' ? text.detail : ''}</dd>
            </>
          );
        })}
      </dl>
    </section>
  );
}

export function ReferencePage({ document, t, lang }: { document: Json; t: Messages; lang: string }) {
  const paths = Object.entries((document.paths ?? {}) as Json);
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{t.api.referenceTitle}</title>
        <link rel="stylesheet" href="/static/app.css" />
      </head>
      <body>
        <main id="main">
          <h1>{t.api.referenceTitle}</h1>
          <p>
            {t.api.referenceIntro} <a href="/api/openapi.json">/api/openapi.json</a>.
          </p>
          {paths.map(([path, item]) => Object.entries(item as Json).map(([method, op]) => <Operation path={path} method={method} op={op as Json} t={t} />))}
          <ProblemTypes t={t} />
        </main>
      </body>
    </html>
  );
}
