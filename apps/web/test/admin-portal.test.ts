import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Department, Person } from '../src/api/admin.ts';
import { queryString } from '../src/api/request.ts';
import { auditQuery, detailsText } from '../src/screens/admin/audit-query.ts';
import { screenOf } from '../src/screens/admin/paths.ts';
import { matchesPerson } from '../src/screens/admin/people-filter.ts';
import { buildTree, flatten } from '../src/screens/admin/tree.ts';
import { describeUserAgent } from '../src/screens/sessions/user-agent.ts';
import { koreanDayEnd, koreanDayStart, koreanToday } from '../src/ui/datetime.ts';

const dept = (code: string, name: string, parentCode: string | null): Department => ({
  agencyCode: 'A',
  code,
  name,
  parentCode,
});

describe('admin portal helpers', () => {
  test('builds the department tree, children sorted by Korean name, orphans as roots', () => {
    const tree = buildTree([
      dept('D2', '하위2', 'D1'),
      dept('D1', '본부', null),
      dept('D3', '가나다과', 'D1'),
      dept('X', '고아', 'MISSING'),
    ]);
    assert.deepEqual(
      flatten(tree).map((n) => `${n.depth}:${n.department.code}`),
      ['0:X', '0:D1', '1:D3', '1:D2'],
    );
  });

  test('a department that names itself as parent is a root, never a loop', () => {
    assert.deepEqual(
      flatten(buildTree([dept('S', '자기', 'S')])).map((n) => n.department.code),
      ['S'],
    );
  });

  test('routes the portal paths, with encoded employee numbers', () => {
    assert.deepEqual(screenOf('/admin'), { kind: 'home' });
    assert.deepEqual(screenOf('/admin/agencies/'), { kind: 'agencies' });
    assert.deepEqual(screenOf('/admin/people/new'), { kind: 'newPerson' });
    assert.deepEqual(screenOf('/admin/people/E-2024%2D1'), { kind: 'person', employeeNumber: 'E-2024-1' });
    assert.deepEqual(screenOf('/admin/people/%E0%A4'), { kind: 'notFound' });
    assert.deepEqual(screenOf('/admin/oidc'), { kind: 'oidc' });
    assert.deepEqual(screenOf('/admin/mobile-id/requests'), { kind: 'midRequests' });
    assert.deepEqual(screenOf('/admin/sms-outbox'), { kind: 'smsOutbox' });
    assert.deepEqual(screenOf('/admin/mobile-id/status'), { kind: 'midStatus' });
    assert.deepEqual(screenOf('/admin/nothing-here'), { kind: 'notFound' });
  });

  test('audit filters: Korean calendar days, the "to" day included; empty fields left out', () => {
    const q = auditQuery({
      action: ' directory.* ',
      actor: '',
      target: '',
      outcome: 'refused',
      from: '2026-03-01',
      to: '2026-03-31',
      limit: '10',
    });
    assert.deepEqual(q, {
      action: 'directory.*',
      actor: undefined,
      target: undefined,
      outcome: 'refused',
      from: '2026-03-01T00:00:00+09:00',
      to: '2026-04-01T00:00:00+09:00',
      limit: 10,
    });
    assert.equal(
      queryString({ ...q }),
      '?action=directory.*&outcome=refused&from=2026-03-01T00%3A00%3A00%2B09%3A00&to=2026-04-01T00%3A00%3A00%2B09%3A00&limit=10',
    );
    assert.equal(koreanDayStart('2026-12-31'), '2026-12-31T00:00:00+09:00');
    assert.equal(koreanDayEnd('2026-12-31'), '2027-01-01T00:00:00+09:00');
    assert.equal(koreanToday(new Date('2026-03-01T15:30:00Z')), '2026-03-02');
  });

  test('audit details are shown compact and cut', () => {
    assert.equal(
      detailsText({ name: '행정안전부', mobileIdAdopted: false }),
      'name: 행정안전부, mobileIdAdopted: false',
    );
    assert.equal(detailsText({ x: 'y'.repeat(1000) }).length, 400);
  });

  test('people filters match name, employee number or address, and state and department', () => {
    const p: Person = {
      employeeNumber: '2024001',
      agencyCode: 'A',
      departmentCode: 'D1',
      realName: '류시원',
      position: null,
      mobile: null,
      isDepartmentHead: false,
      state: 'active',
      retirementDate: null,
      retiredAt: null,
      account: { id: '1', address: 'ryusiwon@korea.kr', state: 'pending' },
    };
    const f = (text: string, state = '', department = '') => matchesPerson(p, { text, state, department });
    assert.ok(f('시원') && f('2024') && f('RYUSIWON') && f(''));
    assert.ok(!f('김'));
    assert.ok(f('', 'active', 'D1'));
    assert.ok(!f('', 'on_leave'));
    assert.ok(!f('', '', 'D2'));
  });

  test('names the device of a session from its User-Agent', () => {
    assert.deepEqual(
      describeUserAgent(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Whale/3.26 Safari/537.36',
      ),
      { browser: 'Whale', system: 'Windows' },
    );
    assert.deepEqual(
      describeUserAgent(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      ),
      { browser: 'Safari', system: 'iOS' },
    );
    assert.deepEqual(describeUserAgent(null), { browser: null, system: null });
    assert.deepEqual(describeUserAgent('curl/8.0'), { browser: null, system: null });
  });
});
