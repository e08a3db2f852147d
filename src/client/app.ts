/**
 * Progressive enhancement for Presentia's server-rendered pages. Every page works without this
 * script; each feature below only runs where the page opts in with a data attribute, and does
 * nothing when its elements are absent.
 *
 *   [data-filter-rows="tableId"]   text input that filters the rows of that table by the text of their [data-name] cells
 *   [data-check-all="group"]       button that ticks the enabled checkboxes with data-group="group"
 *   form[data-warn-unsaved="msg"]  warns before leaving the page with unsaved changes
 *   [data-all-meetings]            checkbox that ticks every input[data-meeting][data-started] in its form
 *                                  (R2: "all meetings" means the meetings that have started)
 *   details.menu                   closes on Escape or a click outside it
 */

/** Lower case without diacritics, so that "Celine" finds "Céline". */
function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

// ---- (a) filter table rows -------------------------------------------------------------------

/** The searchable text of a row: its [data-name] cells, without error messages beside the name. */
function rowName(row: HTMLTableRowElement): string | undefined {
  const cells = row.querySelectorAll<HTMLElement>('[data-name]');
  if (cells.length === 0) return undefined;
  const parts: string[] = [];
  cells.forEach((cell) => {
    // The attribute only marks the cell (JSX renders a bare data-name as "true"); its text is searched.
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement?.closest('.cell-error')) parts.push(node.textContent ?? '');
    }
  });
  return fold(parts.join(' '));
}

function setUpRowFilters(): void {
  document.querySelectorAll<HTMLInputElement>('input[data-filter-rows]').forEach((input) => {
    const table = document.getElementById(input.dataset.filterRows ?? '');
    if (!(table instanceof HTMLTableElement)) return;
    const apply = () => {
      const query = fold(input.value);
      for (const body of Array.from(table.tBodies)) {
        for (const row of Array.from(body.rows)) {
          const name = rowName(row);
          // Hidden rows keep their inputs, so a filtered form still submits every row as entered.
          if (name !== undefined) row.hidden = query !== '' && !name.includes(query);
        }
      }
    };
    input.addEventListener('input', apply);
    apply(); // the browser may restore a typed filter on back/forward
  });
}

// ---- (b) check all ---------------------------------------------------------------------------

function setUpCheckAll(): void {
  document.querySelectorAll<HTMLButtonElement>('button[data-check-all]').forEach((button) => {
    const group = button.dataset.checkAll ?? '';
    // The button is useless without this script, so the server may render it hidden.
    button.hidden = false;
    button.addEventListener('click', () => {
      const boxes = document.querySelectorAll<HTMLInputElement>('input[type="checkbox"][data-group]');
      boxes.forEach((box) => {
        // Rows hidden by the filter are left alone: "everyone" means everyone the teacher can see.
        if (box.dataset.group !== group || box.disabled || box.checked || box.closest('[hidden]')) return;
        box.checked = true;
        box.dispatchEvent(new Event('change', { bubbles: true }));
      });
    });
  });
}

// ---- (c) warn about unsaved changes ----------------------------------------------------------

function formState(form: HTMLFormElement): string {
  const parts: string[] = [];
  for (const element of Array.from(form.elements)) {
    if (element instanceof HTMLInputElement) {
      if (element.type === 'checkbox' || element.type === 'radio') parts.push(element.checked ? '1' : '0');
      else if (element.type === 'file') parts.push(Array.from(element.files ?? []).map((f) => f.name).join('|'));
      else if (element.type !== 'submit' && element.type !== 'button') parts.push(element.value);
    } else if (element instanceof HTMLSelectElement) {
      parts.push(Array.from(element.selectedOptions).map((o) => o.value).join('|'));
    } else if (element instanceof HTMLTextAreaElement) {
      parts.push(element.value);
    }
  }
  return JSON.stringify(parts);
}

function setUpUnsavedWarnings(): void {
  const forms = Array.from(document.querySelectorAll<HTMLFormElement>('form[data-warn-unsaved]'));
  if (forms.length === 0) return;
  const initial = new Map(forms.map((form) => [form, formState(form)]));
  // A refused form comes back holding values that were never saved: leaving it loses them too.
  const refused = new Set(forms.filter((form) => form.querySelector('.cell-error, [aria-invalid="true"]') || document.querySelector('.error-summary')));
  let submitting = false;
  document.addEventListener('submit', () => {
    submitting = true;
  });
  window.addEventListener('pageshow', () => {
    submitting = false;
  });
  window.addEventListener('beforeunload', (event) => {
    if (submitting) return;
    const dirty = forms.find((form) => refused.has(form) || formState(form) !== initial.get(form));
    if (!dirty) return;
    event.preventDefault();
    // Browsers show their own text; the message is kept for those that still use it.
    event.returnValue = dirty.dataset.warnUnsaved || 'true';
  });
}

// ---- (d) all meetings ------------------------------------------------------------------------

function setUpAllMeetings(): void {
  document.querySelectorAll<HTMLInputElement>('input[type="checkbox"][data-all-meetings]').forEach((all) => {
    const scope: ParentNode = all.form ?? document;
    const meetings = () => Array.from(scope.querySelectorAll<HTMLInputElement>('input[type="checkbox"][data-meeting]'));
    let before: boolean[] | undefined;
    const tickAll = () => {
      meetings().forEach((box) => {
        if (box.hasAttribute('data-started')) box.checked = true;
      });
    };
    all.addEventListener('change', () => {
      if (all.checked) {
        before = meetings().map((box) => box.checked);
        tickAll();
      } else if (before) {
        // Unticking "all" gives back the teacher's own choice.
        const saved = before;
        meetings().forEach((box, i) => {
          box.checked = saved[i] ?? false;
        });
        before = undefined;
      }
    });
    meetings().forEach((box) => {
      box.addEventListener('change', () => {
        if (!box.checked && all.checked) {
          all.checked = false;
          before = undefined;
        }
      });
    });
    if (all.checked) tickAll(); // a refused form can come back with "all meetings" ticked
  });
}

// ---- (e) gear menus --------------------------------------------------------------------------

function openMenus(): HTMLDetailsElement[] {
  return Array.from(document.querySelectorAll<HTMLDetailsElement>('details.menu[open]'));
}

function closeMenu(menu: HTMLDetailsElement, focusSummary: boolean): void {
  const hadFocus = menu.contains(document.activeElement);
  menu.open = false;
  // Focus must never stay on an item that just disappeared.
  if (focusSummary || hadFocus) menu.querySelector<HTMLElement>(':scope > summary')?.focus();
}

function setUpMenus(): void {
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    const menus = openMenus();
    if (menus.length === 0) return;
    const active = document.activeElement;
    const current = menus.find((menu) => menu.contains(active));
    menus.forEach((menu) => closeMenu(menu, menu === current || (!current && menus.length === 1)));
    event.preventDefault();
  });
  document.addEventListener('click', (event) => {
    const target = event.target instanceof Node ? event.target : null;
    openMenus().forEach((menu) => {
      if (!target || !menu.contains(target)) closeMenu(menu, false);
    });
  });
  // One menu at a time: opening a gear closes the others.
  document.querySelectorAll<HTMLDetailsElement>('details.menu').forEach((menu) => {
    menu.addEventListener('toggle', () => {
      if (menu.open) openMenus().forEach((other) => other !== menu && closeMenu(other, false));
    });
  });
}

function start(): void {
  setUpRowFilters();
  setUpCheckAll();
  setUpUnsavedWarnings();
  setUpAllMeetings();
  setUpMenus();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
