import type { Messages } from '../../i18n/index.ts';

/** A dash for sighted readers and the word "none" for screen readers, where a cell has nothing. */
export function Nothing({ t }: { t: Messages }) {
  return (
    <>
      <span aria-hidden="true">{t.history.empty}</span>
      <span class="visually-hidden">{t.common.none}</span>
    </>
  );
}

/** Where a certificate's PDF is downloaded. */
export function certificatePdfHref(certificateId: string): string {
  return `/me/certificates/${certificateId}.pdf`;
}
