import type { EnteredForm } from './teacher.schema.ts';

/**
 * Every value of the participants form as hidden fields, for the screens between the form and the
 * save (confirmation, conflicts): pressing their button saves exactly what was entered, judged
 * against what the page showed when it was loaded (R11).
 */
export function CarriedFields(props: { entered: EnteredForm; versions: ReadonlyMap<string, number>; omitResolutions?: ReadonlySet<string> }) {
  const { entered } = props;
  const hidden = (name: string, value: string) => <input type="hidden" name={name} value={value} />;
  return (
    <>
      {hidden('seenMeetings', entered.seenMeetings)}
      {[...entered.rows].map(([id, row]) => (
        <>
          {hidden('row', id)}
          {hidden(`version.${id}`, String(props.versions.get(id) ?? ''))}
          {row.seen && hidden(`seen.${id}`, row.seen)}
          {row.present && hidden(`present.${id}`, '1')}
          {hidden(`status.${id}`, row.status)}
          {row.withdrawnOn && hidden(`withdrawnOn.${id}`, row.withdrawnOn)}
          {row.reason && hidden(`reason.${id}`, row.reason)}
          {hidden(`effort.${id}`, row.effort)}
          {hidden(`comment.${id}`, row.comment)}
          {hidden(`proofNote.${id}`, row.proofNote)}
          {row.proofFileKey && hidden(`proofFileKey.${id}`, row.proofFileKey)}
          {[...row.resolutions].filter(([key]) => !props.omitResolutions?.has(`${id}.${key}`)).map(([key, value]) => hidden(`resolve.${id}.${key}`, value))}
        </>
      ))}
      {entered.meetingIds.map((id) => hidden('meeting', id))}
      {entered.allMeetings && hidden('allMeetings', '1')}
      {entered.ignoreMaximum && hidden('ignoreMaximum', '1')}
    </>
  );
}
