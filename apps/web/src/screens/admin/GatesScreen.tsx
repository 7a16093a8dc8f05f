// Building gates: register a gate (its key pair is made here, in the administrator's browser; the
// server receives the public key; the setup code with the private key is shown once, for the
// kiosk), list gates with their policy and last sync, disable one.
import { encodeGateSetupCode } from '@gongjik/mobile-id';
import { type FormEvent, useState } from 'react';
import { createJsonClient } from '../../api/request.ts';
import { useI18n } from '../../i18n/context.tsx';
import { loadLang } from '../../i18n/lang-store.ts';
import { formatDateTime } from '../../ui/datetime.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { ScreenHeading } from '../../ui/ScreenHeading.tsx';
import { getAdminToken } from './admin-token.ts';
import { Done, Loading, SelectField, ShownOnce, TextField, useConfirmedAction, useLoad } from './ui.tsx';

interface GateRow {
  id: string;
  name: string;
  gateGroup: string;
  building: string;
  policy: {
    timeZone: string;
    rules: { agencies: string[]; buildings: string[]; days: number[]; from: string; to: string }[];
  };
  state: 'active' | 'disabled';
  lastSyncAt: string | null;
  lastLogAt: string | null;
}

const client = createJsonClient({
  lang: () => loadLang(globalThis.localStorage),
  headers: (): Record<string, string> => {
    const token = getAdminToken();
    return token ? { Authorization: `Bearer ${token}` } : {};
  },
});

const gatesApi = {
  async list(): Promise<GateRow[]> {
    const r = (await client.request('GET', '/api/v1/admin/gates')) as { gates?: GateRow[] };
    return Array.isArray(r.gates) ? r.gates : [];
  },
  async add(body: object): Promise<GateRow> {
    return ((await client.request('POST', '/api/v1/admin/gates', { body })) as { gate: GateRow }).gate;
  },
  async disable(id: string): Promise<void> {
    await client.request('POST', `/api/v1/admin/gates/${encodeURIComponent(id)}/disable`);
  },
};

const DAY_SETS = { weekdays: [1, 2, 3, 4, 5], all: [1, 2, 3, 4, 5, 6, 7] } as const;

export function GatesScreen() {
  const { t } = useI18n();
  const gates = useLoad(() => gatesApi.list(), 'gates');
  const [created, setCreated] = useState<{ name: string; code: string } | null>(null);
  const { error, done, run } = useConfirmedAction();
  const disable = (g: GateRow) =>
    run(
      t('gate.admin.confirmDisable', { name: g.name }),
      async () => {
        await gatesApi.disable(g.id);
        gates.reload();
      },
      t('gate.admin.disabled', { name: g.name }),
    );
  return (
    <section className="panel panel-wide" aria-labelledby="screen-title">
      <ScreenHeading>{t('gate.admin.title')}</ScreenHeading>
      <p className="lead">{t('gate.admin.intro')}</p>
      <AddGate
        onCreated={(name, code) => {
          setCreated({ name, code });
          gates.reload();
        }}
      />
      {created ? (
        <ShownOnce title={t('gate.admin.created', { name: created.name })} value={created.code}>
          <p className="hint">{t('gate.admin.kioskHint')}</p>
        </ShownOnce>
      ) : null}
      <Loading loading={gates.loading && !gates.value} />
      <ErrorMessage error={gates.error} />
      <ErrorMessage error={error} />
      <Done message={done} />
      {gates.value && gates.value.length === 0 ? <p className="empty">{t('gate.admin.empty')}</p> : null}
      {gates.value && gates.value.length > 0 ? <GateTable gates={gates.value} onDisable={disable} /> : null}
    </section>
  );
}

function GateTable(props: { readonly gates: readonly GateRow[]; readonly onDisable: (g: GateRow) => void }) {
  const { lang, t } = useI18n();
  const rules = (g: GateRow) =>
    g.policy.rules
      .map((r) =>
        t('gate.admin.rule', {
          agencies: r.agencies.includes('*') ? t('gate.admin.anyAgency') : r.agencies.join(', '),
          days:
            r.days.length === 7
              ? t('gate.admin.everyDay')
              : r.days.length === 5 && r.days[4] === 5
                ? t('gate.admin.weekdays')
                : r.days.join(','),
          from: r.from,
          to: r.to,
        }),
      )
      .join(' / ');
  return (
    <table className="data-table">
      <caption>{t('gate.admin.caption', { count: props.gates.length })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('gate.admin.name')}</th>
          <th scope="col">{t('gate.admin.group')}</th>
          <th scope="col">{t('gate.admin.building')}</th>
          <th scope="col">{t('gate.admin.policy')}</th>
          <th scope="col">{t('gate.admin.lastSync')}</th>
          <th scope="col">{t('gate.admin.state')}</th>
        </tr>
      </thead>
      <tbody>
        {props.gates.map((g) => (
          <tr key={g.id} data-gate={g.id}>
            <th scope="row" data-label={t('gate.admin.name')}>
              {g.name}
            </th>
            <td data-label={t('gate.admin.group')}>
              <code>{g.gateGroup}</code>
            </td>
            <td data-label={t('gate.admin.building')}>{g.building}</td>
            <td data-label={t('gate.admin.policy')}>{rules(g)}</td>
            <td data-label={t('gate.admin.lastSync')}>
              {g.lastSyncAt ? formatDateTime(g.lastSyncAt, lang) : t('gate.admin.never')}
            </td>
            <td data-label={t('gate.admin.state')}>
              {g.state === 'disabled' ? (
                <span className="badge badge-blocked">{t('gate.admin.stateDisabled')}</span>
              ) : (
                <button
                  type="button"
                  className="button button-danger button-small"
                  aria-label={t('gate.admin.disableNamed', { name: g.name })}
                  onClick={() => props.onDisable(g)}
                >
                  {t('gate.admin.disable')}
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AddGate(props: { readonly onCreated: (name: string, code: string) => void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [group, setGroup] = useState('');
  const [building, setBuilding] = useState('');
  const [agencies, setAgencies] = useState('');
  const [days, setDays] = useState<keyof typeof DAY_SETS>('all');
  const [from, setFrom] = useState('00:00');
  const [to, setTo] = useState('24:00');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      // The gate's own key pair, made here; only the public half goes to the server.
      const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
        'sign',
        'verify',
      ])) as CryptoKeyPair;
      const jwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
      const list = agencies
        .split(/[\s,]+/)
        .map((a) => a.trim())
        .filter((a) => a !== '');
      const gate = await gatesApi.add({
        name: name.trim(),
        gateGroup: group.trim(),
        building: building.trim(),
        policy: {
          timeZone: 'Asia/Seoul',
          rules: [
            {
              agencies: list.length > 0 ? list : ['*'],
              buildings: [building.trim()],
              days: DAY_SETS[days],
              from,
              to,
            },
          ],
        },
        publicJwk: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y },
      });
      props.onCreated(
        gate.name,
        encodeGateSetupCode({
          gateId: gate.id,
          privateJwk: { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y!, d: jwk.d! },
        }),
      );
      setName('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="stack form-card" onSubmit={onSubmit} aria-labelledby="add-gate">
      <h2 id="add-gate">{t('gate.admin.add')}</h2>
      <div className="form-grid">
        <TextField label={t('gate.admin.name')} value={name} onChange={setName} required maxLength={100} />
        <TextField
          label={t('gate.admin.group')}
          hint={t('gate.admin.groupHint')}
          value={group}
          onChange={setGroup}
          required
          maxLength={64}
          pattern="[A-Za-z0-9._\-\/]+"
        />
        <TextField
          label={t('gate.admin.building')}
          value={building}
          onChange={setBuilding}
          required
          maxLength={64}
          pattern="[A-Za-z0-9._\-\/]+"
        />
        <TextField
          label={t('gate.admin.agencies')}
          hint={t('gate.admin.agenciesHint')}
          value={agencies}
          onChange={setAgencies}
          maxLength={2000}
        />
        <SelectField
          label={t('gate.admin.days')}
          value={days}
          onChange={(v) => setDays(v as keyof typeof DAY_SETS)}
          options={[
            { value: 'all', label: t('gate.admin.everyDay') },
            { value: 'weekdays', label: t('gate.admin.weekdays') },
          ]}
        />
        <TextField
          label={t('gate.admin.from')}
          hint={t('gate.admin.timeHint')}
          value={from}
          onChange={setFrom}
          required
          pattern="[0-2][0-9]:[0-5][0-9]"
        />
        <TextField
          label={t('gate.admin.to')}
          value={to}
          onChange={setTo}
          required
          pattern="[0-2][0-9]:[0-5][0-9]"
        />
      </div>
      <ErrorMessage error={error} />
      <button type="submit" className="button button-primary" disabled={busy}>
        {t('gate.admin.submit')}
      </button>
    </form>
  );
}
