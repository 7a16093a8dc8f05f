// Search with filters: folder, date range (Korean calendar days), has attachment, unread only.
import { type FormEvent, forwardRef, useId } from 'react';
import { navigate } from '../../app/router.ts';
import { useI18n } from '../../i18n/context.tsx';
import type { Folder, SearchFilters } from './api.ts';
import { folderTree } from './folders.ts';
import { mailPaths } from './paths.ts';
import { useFolderName } from './useFolderName.ts';

export const SearchBar = forwardRef<
  HTMLInputElement,
  { readonly folders: readonly Folder[]; readonly current: SearchFilters | null }
>(function SearchBar(props, ref) {
  const { t } = useI18n();
  const name = useFolderName();
  const id = useId();
  const cur = props.current;
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const get = (k: string) => String(data.get(k) ?? '').trim();
    const filters: SearchFilters = {
      q: get('q').slice(0, 256),
      folder: get('folder') || undefined,
      from: get('from') || undefined,
      to: get('to') || undefined,
      hasAttachment: data.get('attachment') === 'on' || undefined,
      unread: data.get('unread') === 'on' || undefined,
    };
    navigate(mailPaths.search(filters));
  };
  // Remount on a new search so the uncontrolled fields show the address's filters.
  const key = cur ? JSON.stringify(cur) : 'none';
  return (
    <search className="mail-search" key={key}>
      <form onSubmit={onSubmit} aria-label={t('mail.search.label')}>
        <div className="mail-search-row">
          <label htmlFor={`${id}-q`} className="visually-hidden">
            {t('mail.search.query')}
          </label>
          <input
            ref={ref}
            id={`${id}-q`}
            name="q"
            type="search"
            maxLength={256}
            defaultValue={cur?.q ?? ''}
            placeholder={t('mail.search.label')}
          />
          <button type="submit" className="button-small button-primary-small">
            {t('mail.search.submit')}
          </button>
        </div>
        <details
          className="mail-search-filters"
          open={Boolean(cur && (cur.folder || cur.from || cur.to || cur.hasAttachment || cur.unread))}
        >
          <summary>{t('mail.search.filters')}</summary>
          <div className="mail-search-grid">
            <label>
              <span>{t('mail.search.folder')}</span>
              <select name="folder" defaultValue={cur?.folder ?? ''}>
                <option value="">{t('mail.search.allFolders')}</option>
                {folderTree(props.folders).map(({ folder, depth }) => (
                  <option key={folder.id} value={folder.id}>
                    {`${'  '.repeat(depth)}${name(folder)}`}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <span>{t('mail.search.from')}</span>
              <input type="date" name="from" defaultValue={cur?.from ?? ''} />
            </label>
            <label>
              <span>{t('mail.search.to')}</span>
              <input type="date" name="to" defaultValue={cur?.to ?? ''} />
            </label>
            <label className="check">
              <input type="checkbox" name="attachment" defaultChecked={cur?.hasAttachment === true} />
              <span>{t('mail.search.hasAttachment')}</span>
            </label>
            <label className="check">
              <input type="checkbox" name="unread" defaultChecked={cur?.unread === true} />
              <span>{t('mail.search.unread')}</span>
            </label>
          </div>
        </details>
      </form>
    </search>
  );
});
