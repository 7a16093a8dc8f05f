import { useI18n } from '../../i18n/context.tsx';
import type { Folder } from './api.ts';

/** A folder's name in the page's language (system folders are translated, the user's are not). */
export function useFolderName(): (folder: Folder) => string {
  const { t } = useI18n();
  return (folder) => (folder.role ? t(`mail.folders.role.${folder.role}`) : folder.name);
}
