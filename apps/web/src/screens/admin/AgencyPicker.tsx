import type { Agency } from '../../api/admin.ts';
import { useI18n } from '../../i18n/context.tsx';
import { SelectField } from './ui.tsx';

/** Choose an agency (code — name); `allowAll` adds "all agencies" with the value ''. */
export function AgencyPicker(props: {
  readonly agencies: readonly Agency[];
  readonly value: string;
  readonly onChange: (code: string) => void;
  readonly allowAll?: boolean;
  readonly label?: string;
}) {
  const { t } = useI18n();
  const options = [
    ...(props.allowAll ? [{ value: '', label: t('admin.filter.allAgencies') }] : []),
    ...props.agencies.map((a) => ({ value: a.code, label: `${a.name} (${a.code})` })),
  ];
  return (
    <SelectField
      label={props.label ?? t('admin.agency.label')}
      value={props.value}
      onChange={props.onChange}
      options={options}
    />
  );
}
