import { Hono, type Context } from 'hono';
import { raw } from 'hono/html';
import { formatDate, type Locale, type Messages } from '../../i18n/index.ts';
import type { Actor } from '../../services/actor.ts';
import {
  addKnowledgeCentreFile,
  getCourseContentForAdmin,
  listCourseContent,
  saveKnowledgeCentreText,
  uploadElearningModule,
  type ContentRejection,
} from '../../services/course-content.ts';
import { discardStagedProofs, publishProofs, stageProofs } from '../../services/proof-files.ts';
import { confirmRecordedProofFiles } from '../../repositories/proof-files.ts';
import { nowIso } from '../../db/index.ts';
import { getEnrolmentForWithdrawal, withdrawOnBehalf } from '../../services/withdrawal-on-behalf.ts';
import { brusselsDate } from '../../domain/dates.ts';
import type { AppEnv } from '../../web/context.ts';
import { redirectWithNotice, takeNotice } from '../../web/notice.ts';
import { renderPage } from '../../web/render.tsx';
import { CsrfField } from '../../views/layout.tsx';
import { adminActor } from './admin-forms.tsx';
import type { ParticipantRefusal } from '../../domain/participant-lifecycle.ts';


type ContentForm = 'text' | 'file' | 'module';
type ContentView = Awaited<ReturnType<typeof getCourseContentForAdmin>>;

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <p class="field-error" id={id}>
      {message}
    </p>
  ) : null;
}

function ContentPage(props: {
  view: ContentView;
  saved: string | undefined;
  refused: { form: ContentForm; reason: ContentRejection; markdown?: string } | undefined;
  csrfToken: string;
  t: Messages;
  locale: Locale;
}) {
  const { view, refused, t, locale } = props;
  const tc = t.courseContent;
  const base = `/admin/course-content/${view.course.id}`;
  const error = (form: ContentForm) => (refused?.form === form ? tc.errors[refused.reason] : undefined);
  const markdown = refused?.form === 'text' ? (refused.markdown ?? '') : view.markdown;
  const savedText =
    props.saved === 'text' ? tc.saved.text : props.saved === 'file' ? tc.saved.file : props.saved === 'module' && view.module ? tc.saved.module(view.module.file_count) : undefined;
  return (
    <>
      <p>
        <a href="/admin/course-content">{tc.backToList}</a>
      </p>
      <h1>
        <bdi>{tc.pageTitle(view.course.title)}</bdi> <span class="muted">({view.course.code})</span>
      </h1>
      {refused && (
        <div class="error-summary" role="alert" tabindex={-1} id="banner">
          <p>{t.participantActions.notSaved}</p>
          <p>{tc.errors[refused.reason]}</p>
        </div>
      )}
      {savedText && (
        <div class="notice" role="status" tabindex={-1} id="banner">
          <p>{savedText}</p>
        </div>
      )}
      <section aria-labelledby="text-title">
        <h2 id="text-title">{tc.textTitle}</h2>
        <form method="post" action={`${base}/knowledge-centre`}>
          <CsrfField token={props.csrfToken} />
          <div class="field">
            <label for="markdown">{tc.textLabel}</label>
            <p class="muted small" id="markdown-hint">
              {tc.textHint}
            </p>
            <textarea id="markdown" name="markdown" rows={14} aria-describedby={error('text') ? 'markdown-hint markdown-error' : 'markdown-hint'}>
              {markdown}
            </textarea>
            <FieldError id="markdown-error" message={error('text')} />
          </div>
          <button type="submit" class="button-primary">
            {tc.saveText}
          </button>
        </form>
        {view.markdown !== '' && (
          <details>
            <summary>{tc.preview}</summary>
            <div class="knowledge-centre">{raw(view.previewHtml)}</div>
          </details>
        )}
      </section>
      <section aria-labelledby="file-title">
        <h2 id="file-title">{tc.fileTitle}</h2>
        {view.files.length > 0 && (
          <ul>
            {view.files.map((f) => (
              <li>
                <bdi>{f.name}</bdi> <span class="muted small">({formatDate(locale, f.uploaded_at)})</span>
              </li>
            ))}
          </ul>
        )}
        <form method="post" action={`${base}/files`} enctype="multipart/form-data">
          <CsrfField token={props.csrfToken} />
          <div class="field">
            <label for="file">{tc.fileLabel}</label>
            <input type="file" id="file" name="file" accept="application/pdf,image/png,image/jpeg" aria-describedby={error('file') ? 'file-error' : undefined} />
            <FieldError id="file-error" message={error('file')} />
          </div>
          <button type="submit" class="button-secondary">
            {tc.addFile}
          </button>
        </form>
      </section>
      <section aria-labelledby="module-title">
        <h2 id="module-title">{tc.moduleTitle}</h2>
        <p>{view.module ? tc.moduleCurrent(view.module.file_count, formatDate(locale, view.module.uploaded_at)) : tc.moduleNone}</p>
        <form method="post" action={`${base}/elearning`} enctype="multipart/form-data">
          <CsrfField token={props.csrfToken} />
          <div class="field">
            <label for="package">{tc.moduleLabel}</label>
            <input type="file" id="package" name="package" accept="application/zip,.zip" aria-describedby={error('module') ? 'package-error' : undefined} />
            <FieldError id="package-error" message={error('module')} />
          </div>
          <button type="submit" class="button-secondary">
            {tc.uploadModule}
          </button>
        </form>
      </section>
    </>
  );
}

async function fileOf(c: Context<AppEnv>, name: string): Promise<{ name: string; content: Uint8Array } | undefined> {
  const value = (await c.req.parseBody())[name];
  return value instanceof File && value.size > 0 ? { name: value.name, content: new Uint8Array(await value.arrayBuffer()) } : undefined;
}

async function textOf(c: Context<AppEnv>, name: string): Promise<string> {
  const value = (await c.req.parseBody())[name];
  return typeof value === 'string' ? value : '';
}

type WithdrawalField = 'withdrawnOn' | 'proof';
type WithdrawalProblem = { field: WithdrawalField; message: string };

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Administrators' pages for a course's content (knowledge centre text and files, e-learning module)
 * and for withdrawing a participant on their behalf with proof of force majeure.
 */
export function courseContentRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/admin/course-content', async (c) => {
    const courses = await listCourseContent(c.var.deps.store.db, adminActor(c));
    const { t, locale } = c.var;
    const tc = t.courseContent;
    const since = (at: string | null) => (at ? tc.since(formatDate(locale, at)) : tc.none);
    return renderPage(
      c,
      tc.listTitle,
      <>
        <h1>{tc.listTitle}</h1>
        <p>{tc.listIntro}</p>
        <table class="data">
          <caption>{tc.listCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{tc.course}</th>
              <th scope="col">{tc.knowledgeCentre}</th>
              <th scope="col">{tc.elearning}</th>
            </tr>
          </thead>
          <tbody>
            {courses.map((course) => (
              <tr>
                <th scope="row">
                  <a href={`/admin/course-content/${course.id}`} aria-label={tc.edit(course.title)}>
                    <bdi>{course.title}</bdi>
                  </a>{' '}
                  <span class="muted">
                    ({course.code}, v{course.version}, {t.courseKinds[course.kind]})
                  </span>
                </th>
                <td>{since(course.knowledge_centre_updated_at)}</td>
                <td>{since(course.module_uploaded_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </>,
    );
  });

  const showContent = async (c: Context<AppEnv>, refused?: { form: ContentForm; reason: ContentRejection; markdown?: string }) => {
    const view = await getCourseContentForAdmin(c.var.deps.store.db, adminActor(c), c.req.param('courseId')!);
    const { t, locale } = c.var;
    return renderPage(
      c,
      t.courseContent.pageTitle(view.course.title),
      <ContentPage view={view} saved={refused ? undefined : (await takeNotice(c))?.key} refused={refused} csrfToken={c.get('csrfToken')} t={t} locale={locale} />,
      refused ? 422 : 200,
    );
  };
  const savedRedirect = (c: Context<AppEnv>, what: ContentForm) => redirectWithNotice(c, `/admin/course-content/${c.req.param('courseId')}#banner`, what);

  app.get('/admin/course-content/:courseId', (c) => showContent(c));

  app.post('/admin/course-content/:courseId/knowledge-centre', async (c) => {
    const markdown = await textOf(c, 'markdown');
    const result = await saveKnowledgeCentreText(c.var.deps.store.db, adminActor(c), c.req.param('courseId'), markdown);
    return result.ok ? savedRedirect(c, 'text') : showContent(c, { form: 'text', reason: result.reason, markdown });
  });

  app.post('/admin/course-content/:courseId/files', async (c) => {
    const actor = adminActor(c);
    const result = await addKnowledgeCentreFile(c.var.deps.store.db, c.var.deps.config.DATA_DIR, actor, c.req.param('courseId'), await fileOf(c, 'file'));
    return result.ok ? savedRedirect(c, 'file') : showContent(c, { form: 'file', reason: result.reason });
  });

  app.post('/admin/course-content/:courseId/elearning', async (c) => {
    const actor = adminActor(c);
    const zip = await fileOf(c, 'package');
    const result = await uploadElearningModule(c.var.deps.store.db, c.var.deps.config.DATA_DIR, actor, c.req.param('courseId'), zip?.content);
    return result.ok ? savedRedirect(c, 'module') : showContent(c, { form: 'module', reason: result.reason });
  });

  const showWithdrawal = async (
    c: Context<AppEnv>,
    entered?: { withdrawnOn: string; proofNote: string; problems: WithdrawalProblem[] },
    done = false,
  ) => {
    const { enrolment, personName } = await getEnrolmentForWithdrawal(c.var.deps.store.db, adminActor(c), c.req.param('id')!);
    const { t, locale } = c.var;
    const tc = t.courseContent;
    const problem = (field: WithdrawalField) => entered?.problems.find((p) => p.field === field)?.message;
    return renderPage(
      c,
      tc.withdrawTitle,
      <>
        <h1>{tc.withdrawTitle}</h1>
        {entered && entered.problems.length > 0 && (
          <div class="error-summary" role="alert" tabindex={-1} id="banner">
            <p>{t.participantActions.notSaved}</p>
            <ul>
              {entered.problems.map((p) => (
                <li>{p.message}</li>
              ))}
            </ul>
          </div>
        )}
        {done && (
          <div class="notice" role="status" tabindex={-1} id="banner">
            <p>{tc.withdrawn}</p>
          </div>
        )}
        <p>
          <bdi>{tc.withdrawIntro(personName, enrolment.course_title)}</bdi>
        </p>
        <p>
          {t.participant.status}: {t.statuses[enrolment.status]}
          {enrolment.withdrawn_on && <> · {t.participant.withdrawnOn(formatDate(locale, enrolment.withdrawn_on))}</>}
        </p>
        <form method="post" action={`/admin/enrolments/${enrolment.id}/withdraw`} enctype="multipart/form-data">
          <CsrfField token={c.get('csrfToken')} />
          <div class="field">
            <label for="withdrawnOn">{tc.withdrawnOn}</label>
            <input
              type="date"
              id="withdrawnOn"
              name="withdrawnOn"
              required
              value={entered?.withdrawnOn ?? enrolment.withdrawn_on ?? brusselsDate(new Date())}
              aria-describedby={problem('withdrawnOn') ? 'withdrawnOn-error' : undefined}
            />
            <FieldError id="withdrawnOn-error" message={problem('withdrawnOn')} />
          </div>
          <div class="field">
            <label for="proofNote">{tc.proofNote}</label>
            <input type="text" id="proofNote" name="proofNote" maxlength={1000} value={entered?.proofNote ?? ''} aria-describedby={problem('proof') ? 'proof-error' : undefined} />
          </div>
          <div class="field">
            <label for="proofFile">{tc.proofFile}</label>
            <input type="file" id="proofFile" name="proofFile" accept="application/pdf,image/png,image/jpeg" aria-describedby={problem('proof') ? 'proof-error' : undefined} />
            <FieldError id="proof-error" message={problem('proof')} />
          </div>
          <button type="submit" class="button-primary">
            {tc.withdraw}
          </button>
        </form>
      </>,
      entered && entered.problems.length > 0 ? 422 : 200,
    );
  };

  app.get('/admin/enrolments/:id/withdraw', async (c) => showWithdrawal(c, undefined, (await takeNotice(c))?.key === 'withdrawn'));

  app.post('/admin/enrolments/:id/withdraw', async (c) => {
    const actor = adminActor(c);
    const { t } = c.var;
    const withdrawnOn = (await textOf(c, 'withdrawnOn')).trim();
    const proofNote = await textOf(c, 'proofNote');
    const problems: WithdrawalProblem[] = [];
    if (!ISO_DATE.test(withdrawnOn) || Number.isNaN(Date.parse(withdrawnOn))) problems.push({ field: 'withdrawnOn', message: t.courseContent.errors.invalid_date });
    let proofFileKey: string | null = null;
    const file = await fileOf(c, 'proofFile');
    const db = c.var.deps.store.db;
    const dataDir = c.var.deps.config.DATA_DIR;
    const enrolmentId = c.req.param('id')!;
    if (problems.length === 0 && file) {
      // The file is staged for this very enrolment (access checked first), and kept only if the withdrawal is saved.
      const { enrolment } = await getEnrolmentForWithdrawal(db, actor, enrolmentId);
      const staged = enrolment.run_id
        ? (await stageProofs(db, dataDir, actor, enrolment.run_id, [{ enrolmentId, size: file.content.byteLength, read: async () => file.content }])).get(enrolmentId)
        : undefined;
      if (!staged) problems.push({ field: 'proof', message: t.courseContent.errors.proof_file_type });
      else if ('rejected' in staged) problems.push({ field: 'proof', message: t.courseContent.errors[staged.rejected] });
      else proofFileKey = staged.key;
    }
    if (problems.length === 0) {
      const result = await withdrawOnBehalf(db, actor, { enrolmentId, withdrawnOn, proofNote, proofFileKey });
      if (result.ok) {
        if (proofFileKey) await publishProofs(dataDir, await confirmRecordedProofFiles(db, [proofFileKey], nowIso()));
        return redirectWithNotice(c, `/admin/enrolments/${enrolmentId}/withdraw#banner`, 'withdrawn');
      }
      problems.push({ field: 'proof', message: t.participantActions.refusals[result.reason as ParticipantRefusal] });
    }
    if (proofFileKey) await discardStagedProofs(db, dataDir, [{ enrolmentId, proofFile: proofFileKey, proofNote: '', version: 0, present: false, status: null, effort: null, effortComment: '' }]);
    return showWithdrawal(c, { withdrawnOn, proofNote, problems });
  });

  return app;
}
