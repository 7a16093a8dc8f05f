import { createI18n, type I18n as KitI18n } from '@gongjik/web-kit/i18n';
import { translate } from './format.ts';
import type { MessageKey } from './ko.ts';
import { langStore } from './lang-store.ts';

export type I18n = KitI18n<MessageKey>;
export const { I18nProvider, useI18n } = createI18n<MessageKey>(translate, langStore);
