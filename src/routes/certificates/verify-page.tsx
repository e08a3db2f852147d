import { formatDate, formatPoints, type Locale, type Messages } from '../../i18n/index.ts';
import type { DocumentBranding } from '../../services/branding.ts';
import type { Verification } from '../../services/certificates.ts';

/** Who issued the certificate: the organisation's logo and name, and its signatory, as on the PDF. */
function Issuer({ branding, t }: { branding: DocumentBranding; t: Messages }) {
  const signatory = branding.signatoryName ? [branding.signatoryName, branding.signatoryTitle].filter(Boolean).join(', ') : undefined;
  return (
    <div class="issuer">
      {branding.logo && <img src={`/organisation/logo?v=${branding.logo.version}`} alt={t.branding.logoAlt(branding.name)} height="48" />}
      <p>
        <strong>
          <bdi>{branding.name}</bdi>
        </strong>
        {signatory && (
          <>
            <br />
            <span class="muted">
              {t.branding.signatory}: <bdi>{signatory}</bdi>
            </span>
          </>
        )}
      </p>
    </div>
  );
}

function Result({ result, t, locale }: { result: Verification; t: Messages; locale: Locale }) {
  const tc = t.certificate;
  if (result.kind === 'unknown') {
    return (
      <section class="warning" aria-labelledby="result-title">
        <h2 id="result-title">{tc.unknownTitle}</h2>
        <p>{tc.unknownText}</p>
      </section>
    );
  }
  if (result.kind === 'revoked') {
    return (
      <section class="error-summary" aria-labelledby="result-title">
        <h2 id="result-title">{tc.revokedResultTitle}</h2>
        <p>{tc.revokedText(formatDate(locale, result.revokedAt))}</p>
        <p>
          {tc.number}: {result.number}
        </p>
      </section>
    );
  }
  return (
    <section class="notice" aria-labelledby="result-title">
      <h2 id="result-title">{tc.validTitle}</h2>
      <p>{tc.validText}</p>
      <table class="data">
        <caption class="visually-hidden">{tc.resultTitle}</caption>
        <tbody>
          <tr>
            <th scope="row">{tc.participant}</th>
            <td>
              <bdi>{result.participantName}</bdi>
            </td>
          </tr>
          <tr>
            <th scope="row">{tc.course}</th>
            <td>
              <bdi>{result.courseTitle}</bdi>
            </td>
          </tr>
          <tr>
            <th scope="row">{tc.completedOnLabel}</th>
            <td>{formatDate(locale, result.completedOn)}</td>
          </tr>
          <tr>
            <th scope="row">{tc.points}</th>
            <td>{formatPoints(locale, result.studyPoints)}</td>
          </tr>
          <tr>
            <th scope="row">{tc.number}</th>
            <td>{result.number}</td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}

/** The title of the verification page: its answer, so it is the first thing a screen reader says. */
export function verifyPageTitle(t: Messages, result: Verification | undefined): string {
  if (!result) return t.certificate.verifyTitle;
  if (result.kind === 'valid') return t.certificate.validTitle;
  if (result.kind === 'revoked') return t.certificate.revokedResultTitle;
  return t.certificate.unknownTitle;
}

/**
 * The public verification page (R3): the answer for a code when there is one, and a form to check a
 * code typed from paper. Works without signing in and without JavaScript (a GET form).
 */
export function VerifyPage({
  result,
  code,
  t,
  locale,
  branding,
}: {
  result?: Verification | undefined;
  code: string;
  t: Messages;
  locale: Locale;
  branding?: DocumentBranding | undefined;
}) {
  const tc = t.certificate;
  return (
    <>
      {branding && result && result.kind !== 'unknown' && <Issuer branding={branding} t={t} />}
      <h1>{tc.verifyTitle}</h1>
      {result && <Result result={result} t={t} locale={locale} />}
      {result && <h2 id="check-another">{tc.checkAnother}</h2>}
      <form method="get" action="/verify" class="panel" aria-labelledby={result ? 'check-another' : undefined}>
        <p>{tc.verifyIntro}</p>
        <div class="field">
          <label for="verification-code">{tc.codeLabel}</label>
          <input
            type="text"
            id="verification-code"
            name="code"
            value={code}
            maxlength={64}
            autocomplete="off"
            autocapitalize="characters"
            spellcheck={false}
            aria-describedby="verification-code-hint"
          />
          <p class="muted small" id="verification-code-hint">
            {tc.codeHint}
          </p>
        </div>
        <button type="submit" class="button-primary">
          {tc.check}
        </button>
      </form>
    </>
  );
}
