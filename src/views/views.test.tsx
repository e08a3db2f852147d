import { describe, expect, it } from 'vitest';
import { messages } from '../i18n/index.ts';
import { ConfirmScreen } from './confirm-screen.tsx';
import { CheckboxGroupField, ErrorSummary, FormField } from './form-field.tsx';
import { FilterForm, listHref, PagedTable, Pager } from './paged-table.tsx';

const nl = messages('nl');
const en = messages('en');
const render = (node: unknown) => String(node);

describe('CheckboxGroupField', () => {
  it('keeps the chosen boxes checked, escapes labels and ties the reason to the group', () => {
    const options = [
      { value: 'read', label: 'Lezen', id: 'scope-read' },
      { value: 'write', label: '<Schrijven>', id: 'scope-write' },
    ];
    const html = render(<CheckboxGroupField name="scopes" legend="Rechten" options={options} checked={['write']} error="Kies er minstens één." />);
    expect(html).toContain('<legend>Rechten</legend>');
    expect(html).toMatch(/<input type="checkbox" id="scope-write" name="scopes" value="write" checked=""\/?> &lt;Schrijven&gt;/);
    expect(html).not.toMatch(/value="read" checked/);
    expect(html).toContain('aria-describedby="field-scopes-error"');
    expect(html).toContain('<p class="field-error" id="field-scopes-error">Kies er minstens één.</p>');
    expect(render(<CheckboxGroupField name="scopes" legend="Rechten" options={options} checked={[]} />)).not.toContain('field-error');
  });
});

describe('FormField', () => {
  it('labels its input, keeps the entered value and ties the reason to the field', () => {
    const html = render(<FormField name="code" label="Code" value={'<b>"X"</b>'} error="Deze code bestaat al." required t={nl} />);
    expect(html).toContain('<label for="field-code">Code</label>');
    expect(html).toContain('id="field-code"');
    expect(html).toContain('value="&lt;b&gt;&quot;X&quot;&lt;/b&gt;"');
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('aria-describedby="field-code-error"');
    expect(html).toContain('<p class="field-error" id="field-code-error">Deze code bestaat al.</p>');
  });

  it('says an optional field is optional, in the reader’s language, and has no error markup when fine', () => {
    const dutch = render(<FormField name="place" label="Plaats" t={nl} />);
    const english = render(<FormField name="place" label="Place" t={en} />);
    expect(dutch).toContain('(niet verplicht)');
    expect(english).toContain('(optional)');
    expect(dutch).not.toContain('aria-invalid');
    expect(dutch).not.toContain('field-error');
  });

  it('selects the kept option of a select and keeps a textarea’s text; a hint is read with the field', () => {
    const select = render(
      <FormField kind="select" name="kind" label="Soort" value="exam" options={[{ value: 'classroom', label: 'Klassikaal' }, { value: 'exam', label: 'Examen' }]} hint="Kies" error="Fout" t={nl} />,
    );
    expect(select).toMatch(/<option value="exam" selected="">Examen<\/option>/);
    expect(select).not.toMatch(/<option value="classroom" selected/);
    expect(select).toContain('aria-describedby="field-kind-hint field-kind-error"');
    const area = render(<FormField kind="textarea" name="description" label="Omschrijving" value="a < b" t={nl} />);
    expect(area).toContain('>a &lt; b</textarea>');
  });

  it('lists every reason at the top with a link to its field', () => {
    const html = render(<ErrorSummary errors={{ code: 'Bestaat al.', title: undefined }} labels={{ code: 'Code', title: 'Titel' }} t={en} />);
    expect(html).toContain('Not everything was filled in correctly');
    expect(html).toContain('<a href="#field-code">Code</a>: Bestaat al.');
    expect(html).not.toContain('Titel');
    expect(render(<ErrorSummary errors={{}} labels={{}} t={en} />)).toBe('');
  });
});

describe('PagedTable', () => {
  const rows = [
    { id: '1', name: 'Gent <1>', n: 3 },
    { id: '2', name: 'Brugge', n: 0 },
  ];
  const columns = [
    { header: 'Naam', cell: (r: (typeof rows)[number]) => r.name, rowHeader: true },
    { header: 'Aantal', cell: (r: (typeof rows)[number]) => String(r.n), numeric: true },
  ];

  it('renders a captioned table with column and row headers', () => {
    const html = render(<PagedTable path="/admin/runs" filters={{}} caption="Uitvoeringen" columns={columns} page={{ rows, next: null, previous: null }} t={nl} />);
    expect(html).toContain('<caption>Uitvoeringen</caption>');
    expect(html).toContain('<th scope="col">Naam</th>');
    expect(html).toContain('<th scope="col" class="num">Aantal</th>');
    expect(html).toContain('<th scope="row">Gent &lt;1&gt;</th>');
    expect(html).not.toContain('class="pager"');
  });

  it('pages with cursors that keep the filters, in a named navigation', () => {
    const html = render(
      <PagedTable path="/admin/runs" filters={{ place: 'Gent & Brugge', course: '' }} caption="X" columns={columns} page={{ rows, next: 'NEXT', previous: 'PREV' }} t={en} />,
    );
    expect(html).toContain('<nav class="pager" aria-label="Pages">');
    expect(html).toContain('<a href="/admin/runs?place=Gent+%26+Brugge">First page</a>');
    expect(html).toContain('<a href="/admin/runs?place=Gent+%26+Brugge&amp;before=PREV" rel="prev">Previous page</a>');
    expect(html).toContain('<a href="/admin/runs?place=Gent+%26+Brugge&amp;after=NEXT" rel="next">Next page</a>');
  });

  it('says nothing matches instead of an empty table', () => {
    const html = render(<PagedTable path="/x" filters={{}} caption="X" columns={columns} page={{ rows: [], next: null, previous: null }} t={nl} />);
    expect(html).toContain('Er is niets dat aan deze filters voldoet.');
    expect(html).not.toContain('<table');
  });

  it('has a GET filter form with a way to clear it, and builds links without empty filters', () => {
    const html = render(
      <FilterForm path="/admin/runs" t={nl}>
        <FormField name="place" label="Plaats" t={nl} />
      </FilterForm>,
    );
    expect(html).toContain('<form method="get" action="/admin/runs" class="table-tools filters" role="search" aria-label="Filters">');
    expect(html).toContain('>Filteren</button>');
    expect(html).toContain('<a href="/admin/runs">Filters wissen</a>');
    expect(listHref('/a', { x: '', y: 'é' })).toBe('/a?y=%C3%A9');
    expect(render(<Pager path="/a" filters={{}} page={{ rows: [], next: null, previous: null }} t={nl} />)).toBe('');
  });
});

describe('ConfirmScreen', () => {
  it('says what will happen and posts the carried fields with the CSRF token and confirm=1, or cancels by a link', () => {
    const html = render(
      <ConfirmScreen
        title="Bijeenkomst verwijderen?"
        intro="Je verwijdert de bijeenkomst van 3 maart."
        consequences={['De bijeenkomst verdwijnt uit de uitvoering.']}
        action="/admin/runs/R/meetings/M/delete"
        fields={[['note', '"quoted"']]}
        cancelHref="/admin/runs/R"
        csrfToken="TOKEN"
        t={nl}
      />,
    );
    expect(html).toContain('<h1 id="confirm-title">Bijeenkomst verwijderen?</h1>');
    expect(html).toContain('<h2>Wat er gebeurt</h2>');
    expect(html).toContain('<li>De bijeenkomst verdwijnt uit de uitvoering.</li>');
    expect(html).toContain('<form method="post" action="/admin/runs/R/meetings/M/delete">');
    expect(html).toContain('<input type="hidden" name="_csrf" value="TOKEN"/>');
    expect(html).toContain('<input type="hidden" name="note" value="&quot;quoted&quot;"/>');
    expect(html).toContain('<input type="hidden" name="confirm" value="1"/>');
    expect(html).toContain('>Bevestigen</button>');
    expect(html).toContain('<a href="/admin/runs/R" class="button-secondary">Annuleren</a>');
    const english = render(<ConfirmScreen title="T" intro="I" consequences={[]} action="/a" cancelHref="/b" csrfToken="x" confirmLabel="Delete" t={en} />);
    expect(english).toContain('>Delete</button>');
    expect(english).toContain('>Cancel</a>');
    expect(english).not.toContain('What will happen');
  });
});
