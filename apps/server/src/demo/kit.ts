// The demo kit (DEV ONLY): on the first start with an empty data dir, a development CA, a few
// agencies, departments and people, each demo person's certificate in a USB-like folder, sign-up
// codes, and <data-dir>/demo/README.txt + kit.json saying how to use them. Never for production:
// the CA's keys sit unencrypted on disk and everyone can read the passwords in README.txt.
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type DevCa,
  type DevCaKind,
  describeCertificate,
  issueUserCertificates,
  parseCrl,
  reissueCrls,
  userBundle,
} from '@gongjik/kpki';
import {
  devCaPaths,
  initDevCaDir,
  isDevCaDir,
  loadDevCa,
  saveDevCa,
  writeUserBundle,
} from '@gongjik/kpki/node';
import type { Config } from '../config.ts';
import { applyRetirements } from '../domain/accounts/retirement.ts';
import { issueSignupCode } from '../domain/auth/signup-codes.ts';
import type { ChangeContext, Db } from '../domain/db.ts';
import { createAgency, updateAgency } from '../domain/directory/agencies.ts';
import { koreanDate } from '../domain/directory/dates.ts';
import { upsertDepartment } from '../domain/directory/departments.ts';
import { upsertPerson } from '../domain/directory/people.ts';

export const DEMO_PASSWORD = 'dev-only-1234';

interface DemoPersonSpec {
  readonly name: string;
  readonly employee: string;
  readonly mailId: string;
  readonly agency: string;
  readonly department: string;
  readonly position: string;
  readonly kind: DevCaKind;
  readonly head?: boolean;
  /** days from today to the retirement date (negative: already retired) */
  readonly retireInDays?: number;
  readonly role: { ko: string; en: string };
  /** what `gongjik signup` / `gongjik login` answer for this person */
  readonly expect: string;
}

const AGENCIES = [
  { code: '1741000', name: '행정안전부', type: 'central' },
  { code: '6110000', name: '서울특별시', type: 'local' },
  { code: '7010000', name: '서울특별시교육청', type: 'education' },
  { code: 'B552555', name: '한국토지주택공사', type: 'public' },
] as const;

const DEPARTMENTS = [
  { agency: '1741000', code: 'DGOV', name: '디지털정부혁신실', parent: null },
  { agency: '1741000', code: 'DGOV-POL', name: '디지털정부정책과', parent: 'DGOV' },
  { agency: '6110000', code: 'INFO', name: '정보기획관', parent: null },
  { agency: '7010000', code: 'EDUPOL', name: '교육정책국', parent: null },
  { agency: 'B552555', code: 'DIGI', name: '디지털혁신처', parent: null },
] as const;

const PEOPLE: readonly DemoPersonSpec[] = [
  {
    name: '류시원',
    employee: 'DEMO-0001',
    mailId: 'ryusiwon',
    agency: '1741000',
    department: 'DGOV-POL',
    position: '행정사무관',
    kind: 'gpki',
    role: { ko: '일반 공무원 (GPKI)', en: 'ordinary official (GPKI)' },
    expect: 'signup + login succeed',
  },
  {
    name: '김민준',
    employee: 'DEMO-0002',
    mailId: 'kimminjun',
    agency: '1741000',
    department: 'DGOV',
    position: '실장',
    kind: 'gpki',
    head: true,
    role: { ko: '부서장 (GPKI)', en: 'head of department (GPKI)' },
    expect: 'signup + login succeed',
  },
  {
    name: '이영자',
    employee: 'DEMO-0003',
    mailId: 'leeyoungja',
    agency: '6110000',
    department: 'INFO',
    position: '지방행정사무관',
    kind: 'gpki',
    retireInDays: 25,
    role: { ko: '퇴직 예정자 (25일 뒤 퇴직, GPKI)', en: 'retiring in 25 days (GPKI)' },
    expect: 'signup + login succeed, login warns about the retirement',
  },
  {
    name: '박정호',
    employee: 'DEMO-0004',
    mailId: 'parkjeongho',
    agency: '6110000',
    department: 'INFO',
    position: '지방행정주사',
    kind: 'gpki',
    retireInDays: -1,
    role: {
      ko: '퇴직자 (GPKI, 인증서는 퇴직 전에 등록됨)',
      en: 'retired (GPKI, registered before retiring)',
    },
    expect: 'login → ERR_AUTH_RETIRED',
  },
  {
    name: '정교사',
    employee: 'DEMO-0005',
    mailId: 'jeonggyosa',
    agency: '7010000',
    department: 'EDUPOL',
    position: '교사',
    kind: 'epki',
    role: { ko: '교사 (EPKI)', en: 'teacher (EPKI)' },
    expect: 'signup + login succeed',
  },
  {
    name: '최공기',
    employee: 'DEMO-0006',
    mailId: 'choegonggi',
    agency: 'B552555',
    department: 'DIGI',
    position: '대리',
    kind: 'gpki',
    role: { ko: '공공기관 직원 (가입 불가)', en: 'public institution staff (cannot sign up)' },
    expect: 'signup → ERR_SIGNUP_ORG_NOT_ELIGIBLE',
  },
];

export interface KitAccount {
  readonly name: string;
  readonly role: string;
  readonly accountId: string;
  readonly address: string;
  readonly agency: string;
  readonly department: string;
  /** the one-time sign-up code; null when the person cannot sign up */
  readonly otp: string | null;
  readonly folder: string;
  readonly certPassword: string;
  readonly certificateClass: string;
  readonly expect: string;
}

export interface DemoKit {
  readonly notice: string;
  readonly server: string;
  readonly caDir: string;
  readonly trustDir: string;
  readonly accounts: readonly KitAccount[];
  readonly folders: {
    readonly npkiBank: { folder: string; certPassword: string; holder: string; expect: string };
    readonly nameMismatch: { folder: string; certPassword: string; holder: string; expect: string };
  };
  readonly readme: string;
}

/** Copies the development CA's GPKI/EPKI roots, CAs and CRLs into the trust directory. */
export function copyDevCaTrust(caDir: string, trustDir: string): void {
  mkdirSync(trustDir, { recursive: true });
  const gpki = join(caDir, 'gpki');
  for (const f of readdirSync(gpki)) copyFileSync(join(gpki, f), join(trustDir, f));
}

/**
 * On a later start: when the demo CA's CRLs expire within a week, issues fresh ones and copies them
 * into the trust directory, so the demo keeps working after 30 days. Returns whether it did.
 */
export async function refreshDemoCrls(dataDir: string, trustDir: string, now: Date): Promise<boolean> {
  const caDir = join(dataDir, 'demo', 'ca');
  if (!isDevCaDir(caDir)) return false;
  const ca = await loadDevCa(caDir);
  const soon = now.getTime() + 7 * 86_400_000;
  const stale = devCaPaths(caDir).some((p) => {
    const next = parseCrl(ca.authorities[p.id].crl).nextUpdate;
    return !next || next.getTime() < soon;
  });
  if (!stale) return false;
  await reissueCrls(ca, { crypto: globalThis.crypto, now: new Date(now.getTime() - 3_600_000) });
  await saveDevCa(caDir, ca);
  copyDevCaTrust(caDir, trustDir);
  return true;
}

async function writeFolder(
  ca: DevCa,
  folder: string,
  kind: DevCaKind,
  name: string,
  org: string,
  dept: string,
  now: Date,
) {
  const clock = { crypto: globalThis.crypto, now };
  const user = await issueUserCertificates(ca, { kind, name, org, dept }, clock);
  const bundle = await userBundle(user, { password: DEMO_PASSWORD, crypto: globalThis.crypto });
  await writeUserBundle(folder, bundle);
  return user;
}

/** Installs the demo kit into <data-dir>/demo (see the file comment). */
export async function installDemoKit(ctx: { db: Db; config: Config; now: Date }): Promise<DemoKit> {
  const { db, config } = ctx;
  const demoDir = join(config.dataDir, 'demo');
  const caDir = join(demoDir, 'ca');
  // Certificates and CRLs start an hour back, so clocks a little apart still accept them.
  const issueTime = new Date(ctx.now.getTime() - 3_600_000);
  mkdirSync(demoDir, { recursive: true, mode: 0o700 });
  const ca = await initDevCaDir(caDir, { crypto: globalThis.crypto, now: issueTime });
  const change: ChangeContext = { actor: 'system:demo', now: ctx.now };
  const policy = { ttlMs: config.signup.codeTtlMs, maxAttempts: config.signup.codeMaxAttempts };

  for (const a of AGENCIES) await createAgency(db, { code: a.code, name: a.name, type: a.type }, change);
  // The home screen's help box names the agency's security officer (보안담당관): one demo agency has one.
  await updateAgency(
    db,
    '1741000',
    { securityOfficer: { name: '김보안', phone: '044-205-1234', email: 'security@korea.kr' } },
    change,
  );
  for (const d of DEPARTMENTS)
    await upsertDepartment(db, d.agency, d.code, { name: d.name, parentCode: d.parent }, change);

  const accounts: KitAccount[] = [];
  for (const p of PEOPLE) {
    const agency = AGENCIES.find((a) => a.code === p.agency)!;
    const dept = DEPARTMENTS.find((d) => d.code === p.department)!;
    const folder = join(demoDir, p.name);
    const user = await writeFolder(ca, folder, p.kind, p.name, agency.name, dept.name, issueTime);
    const isPublic = agency.type === 'public';
    await upsertPerson(
      db,
      p.employee,
      {
        agencyCode: p.agency,
        departmentCode: p.department,
        realName: p.name,
        position: p.position,
        isDepartmentHead: p.head ?? false,
        ...(isPublic ? {} : { mailId: p.mailId }),
      },
      change,
      { mailDomain: config.mailDomain },
    );
    let otp: string | null = null;
    if (isPublic) {
      // HR can no longer create accounts for public institutions; this one stands for an account
      // made before the rule (migrated data), so that sign-up shows ERR_SIGNUP_ORG_NOT_ELIGIBLE.
      const person = await db
        .selectFrom('people')
        .selectAll()
        .where('employee_number', '=', p.employee)
        .executeTakeFirstOrThrow();
      await db
        .insertInto('accounts')
        .values({
          person_id: person.id,
          agency_id: person.agency_id,
          local_part: p.mailId,
          domain: config.mailDomain,
          real_name: p.name,
          state: 'pending',
          created_at: ctx.now,
          updated_at: ctx.now,
        })
        .execute();
    } else if (p.retireInDays !== undefined && p.retireInDays < 0) {
      // Signed up before retiring: the certificate is registered, then HR's date comes.
      const account = await db
        .selectFrom('accounts')
        .selectAll()
        .where('local_part', '=', p.mailId)
        .executeTakeFirstOrThrow();
      const d = await describeCertificate(user.sign.certificate);
      await db
        .insertInto('certificate_registrations')
        .values({
          account_id: account.id,
          fingerprint_sha256: d.fingerprintSha256,
          serial: d.serial,
          issuer: d.issuer.dn,
          class: d.class,
          subject_name: d.holderName ?? p.name,
          not_after: d.notAfter,
          registered_at: issueTime,
        })
        .execute();
      await db
        .updateTable('accounts')
        .set({ state: 'active', updated_at: ctx.now })
        .where('id', '=', account.id)
        .execute();
    } else {
      otp = (await issueSignupCode(db, p.employee, change, policy)).code;
    }
    if (p.retireInDays !== undefined) {
      const date = koreanDate(new Date(ctx.now.getTime() + p.retireInDays * 86_400_000));
      await upsertPerson(
        db,
        p.employee,
        {
          agencyCode: p.agency,
          departmentCode: p.department,
          realName: p.name,
          position: p.position,
          isDepartmentHead: p.head ?? false,
          retirementDate: date,
        },
        change,
        { mailDomain: config.mailDomain },
      );
    }
    accounts.push({
      name: p.name,
      role: p.role.en,
      accountId: p.mailId,
      address: `${p.mailId}@${config.mailDomain}`,
      agency: agency.name,
      department: dept.name,
      otp,
      folder,
      certPassword: DEMO_PASSWORD,
      certificateClass: p.kind === 'epki' ? 'epki-personal' : 'gpki-personal',
      expect: p.expect,
    });
  }
  await applyRetirements(db, ctx.now);

  const npkiBank = join(demoDir, 'npki-bank');
  await writeFolder(ca, npkiBank, 'npki', '류시원', '국민은행', '', issueTime);
  const nameMismatch = join(demoDir, 'name-mismatch');
  await writeFolder(ca, nameMismatch, 'gpki', '류 시원', '행정안전부', '디지털정부정책과', issueTime);
  await saveDevCa(caDir, ca);
  copyDevCaTrust(caDir, config.auth.trustDir);

  const kit: DemoKit = {
    notice:
      'DEV ONLY — demo accounts, a development CA and passwords anyone can read. Never use in production.',
    server: config.publicUrl,
    caDir,
    trustDir: config.auth.trustDir,
    accounts,
    folders: {
      npkiBank: {
        folder: npkiBank,
        certPassword: DEMO_PASSWORD,
        holder: '류시원 (NPKI, bank)',
        expect: 'login/signup → ERR_PKI_NPKI_NOT_ACCEPTED',
      },
      nameMismatch: {
        folder: nameMismatch,
        certPassword: DEMO_PASSWORD,
        holder: '류 시원 (GPKI, name with a space)',
        expect: 'signup as ryusiwon → ERR_AUTH_NAME_MISMATCH',
      },
    },
    readme: join(demoDir, 'README.txt'),
  };
  writeFileSync(join(demoDir, 'kit.json'), `${JSON.stringify(kit, null, 2)}\n`, { mode: 0o600 });
  writeFileSync(kit.readme, readmeText(kit), { mode: 0o600 });
  return kit;
}

function readmeText(kit: DemoKit): string {
  const rows = kit.accounts.map(
    (a) =>
      `  ${a.name}  ${a.accountId}  (${a.agency} ${a.department}; ${a.role})\n` +
      `    sign-up code / 가입 코드: ${a.otp ?? '(none / 없음)'}\n` +
      `    folder / 폴더:            ${a.folder}\n` +
      `    password / 인증서 암호:   ${a.certPassword}\n` +
      `    expected / 예상 결과:     ${a.expect}\n`,
  );
  const ryu = kit.accounts[0]!;
  return `*** DEV ONLY — 개발·시연 전용 ***
이 폴더의 계정, 개발용 인증기관(CA), 인증서와 암호는 누구나 읽을 수 있습니다. 운영 환경에서 절대 쓰지 마십시오.
Everything here (accounts, the development CA, certificates, passwords) is readable by anyone.
Never use it in production.

공직 메일 시연 키트 / Gongjik demo kit
서버 / server: ${kit.server}

각 폴더는 USB 저장장치처럼 GPKI/EPKI(또는 NPKI) 구조로 인증서를 담고 있습니다.
웹(${kit.server})에서 "가입"을 눌러 아이디와 가입 코드를 넣고 폴더를 고르거나, 명령줄을 쓰십시오.
Each folder holds a certificate laid out like a USB stick (GPKI/EPKI or NPKI). Sign up in the
browser (${kit.server}, "Sign up": account ID + sign-up code, then pick the folder), or use the CLI:

  npx gongjik signup --server ${kit.server} --id ${ryu.accountId} --otp ${ryu.otp} \\
      --cert-dir "${ryu.folder}" --password ${ryu.certPassword}
  npx gongjik login --server ${kit.server} --cert-dir "${ryu.folder}" --password ${ryu.certPassword}

계정 / accounts (account ID, one-time sign-up code, folder, certificate password):
${rows.join('\n')}
거부 사례 / refusals:
  ${kit.folders.npkiBank.folder}
    은행 공동인증서(NPKI) — 로그인·가입 거부 / a bank NPKI certificate of 류시원: ${kit.folders.npkiBank.expect}
    password / 암호: ${kit.folders.npkiBank.certPassword}
  ${kit.folders.nameMismatch.folder}
    이름에 띄어쓰기가 있는 GPKI 인증서(류 시원) / a GPKI certificate named "류 시원": ${kit.folders.nameMismatch.expect}
    password / 암호: ${kit.folders.nameMismatch.certPassword}

개발용 인증기관 / development CA: ${kit.caDir}
  인증서 폐지 / revoke:  npx gongjik ca revoke --dir "${kit.caDir}" --serial <hex> && npx gongjik ca crl --dir "${kit.caDir}"
  then: cp "${kit.caDir}"/gpki/*.crl "${kit.trustDir}"/   (the server re-reads the folder within 10 s)
신뢰 폴더 / trust directory: ${kit.trustDir}

kit.json holds the same for scripts.
`;
}

/** The DemoInstaller of start.ts. */
export async function demoInstaller(ctx: { db: Db; config: Config; now: Date }): Promise<{ readme: string }> {
  const kit = await installDemoKit(ctx);
  return { readme: kit.readme };
}

export function hasDemoKit(dataDir: string): boolean {
  return existsSync(join(dataDir, 'demo', 'kit.json'));
}
