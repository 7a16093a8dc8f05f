// Catalog keys for the API's enumerations.
import type { AccountState, AgencyType, AuditOutcome, HrSystem, PersonState } from '../../api/admin.ts';
import type { MessageKey } from '../../i18n/ko.ts';

export const agencyTypeKey = (type: AgencyType): MessageKey => `admin.agencyType.${type}`;
export const personStateKey = (state: PersonState): MessageKey => `admin.personState.${state}`;
export const accountStateKey = (state: AccountState): MessageKey => `admin.accountState.${state}`;
export const outcomeKey = (outcome: AuditOutcome): MessageKey => `admin.outcome.${outcome}`;
export const hrSystemKey = (system: HrSystem): MessageKey => `admin.hrSystem.${system}`;
