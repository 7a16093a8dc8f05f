// English messages of support; typed against support.ko.ts.
import type { SupportMessages } from './support.ko.ts';

export const supportEn: SupportMessages = {
  'support.title': 'Need help?',
  'support.helpDesk': 'Help desk',
  'support.helpDeskCall': 'Call the help desk: {phone}',
  'support.loginFooter': 'Questions: help desk',
  'support.officer': 'Your agency’s security officer',
  'support.officerNone': 'Your agency has not registered a security officer yet. Please call the help desk.',
  'support.officerPhone': 'Phone',
  'support.officerEmail': 'E-mail',
  'support.loading': 'Loading help information…',

  'support.admin.column': 'Security officer',
  'support.admin.none': 'None',
  'support.admin.edit': 'Edit security officer',
  'support.admin.editNamed': '{name}: edit the security officer',
  'support.admin.formTitle': 'Security officer of {name}',
  'support.admin.name': 'Name',
  'support.admin.phone': 'Phone',
  'support.admin.phoneHint': 'e.g. 044-205-1234 (digits and hyphens)',
  'support.admin.email': 'E-mail',
  'support.admin.save': 'Save',
  'support.admin.clear': 'Remove security officer',
  'support.admin.cancel': 'Cancel',
  'support.admin.confirmClear': 'Remove the security officer of {name}?',
  'support.admin.saved': '{name}: the security officer is saved.',
  'support.admin.cleared': '{name}: the security officer is removed.',
};
