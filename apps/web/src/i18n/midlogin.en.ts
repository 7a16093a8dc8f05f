// Sign-in with the mobile ID and the library desk (screens/mid-login). Spread into en.ts.
import type { midloginKo } from './midlogin.ko.ts';

export const midloginEn: { readonly [K in keyof typeof midloginKo]: string } = {
  'mid.title': 'Sign in with the mobile ID',
  'mid.or': 'or',
  'mid.intro':
    'Scan the QR code with the mobile public-official ID wallet on your phone, or open the wallet directly if it is on this device. You enter your PIN to unlock it.',
  'mid.start': 'Show a QR code',
  'mid.starting': 'Creating the request…',
  'mid.qrLabel': 'QR code of the mobile-ID sign-in request',
  'mid.codeLabel': 'Matching code',
  'mid.codeHint':
    'Check that the wallet shows the same matching code and "{name}". If not, do not approve, and close this window.',
  'mid.sameDevice': 'Open the wallet on this device',
  'mid.waiting': 'Waiting for the wallet… {time} left',
  'mid.refused': 'The wallet’s answer was refused. You can try again.',
  'mid.expired': 'The QR code has expired.',
  'mid.restart': 'Get a new QR code',
  'mid.cancel': 'Cancel',
  'mid.done': 'Confirmed. Taking you on…',
  'mid.loading': 'Loading the mobile-ID sign-in…',

  'library.title': 'Sejong Government Complex Library — mobile ID check',
  'library.intro':
    'Ask the borrower to scan the QR code with their mobile ID. The library receives only the name, the agency and the employee number. Department, position and photo never leave the phone.',
  'library.start': 'Start the check',
  'library.verified': 'Verified borrower',
  'library.name': 'Name',
  'library.agency': 'Agency',
  'library.employeeNumber': 'Employee number',
  'library.verifiedAt': 'Checked at',
  'library.next': 'Next borrower',
};
