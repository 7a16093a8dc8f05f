// The presentation screen (OpenID4VP: sign-in with the mobile ID, the library card). Spread into en.ts.
import type { presentKo } from './present.ko.ts';

export const presentEn: { readonly [K in keyof typeof presentKo]: string } = {
  'present.title': 'Show your mobile ID',
  'present.pasteLead':
    'Paste the presentation request link (openid4vp:// or https://) copied from the screen that asked.',
  'present.pasteLabel': 'Presentation request link',
  'present.pasteSubmit': 'Check the request',
  'present.loading': 'Checking the request…',
  'present.requester': 'Requested by',
  'present.requesterHost': 'The answer goes to: {host}',
  'present.codeLabel': 'Matching code',
  'present.codeHint':
    'Check that the screen that asked (the sign-in page, the library desk) shows the same matching code. If it differs, or you did not ask, decline — someone may have relayed the QR code.',
  'present.disclosed': 'What will be sent (only this)',
  'present.kept': 'Not sent: {claims}',
  'present.consent': 'Agree and enter the PIN',
  'present.decline': 'Decline',
  'present.pinTitle': 'Confirm with your PIN',
  'present.pinLead':
    'Enter your 6-digit PIN to present the card. The issuer checks it; the PIN never leaves the phone.',
  'present.pinSubmit': 'Confirm and send',
  'present.sending': 'Sending…',
  'present.sent': 'Sent. Go back to the screen that asked.',
  'present.declined': 'Declined. Nothing was sent.',
  'present.back': 'Back to the card',
  'present.linkInvalid': 'The presentation link cannot be read.',
  'present.verifierUnknown':
    'This wallet presents only to the issuer’s own verifiers ({host}). The requester’s address differs.',
  'present.notUsable': 'The card is suspended or no longer valid, so it cannot be presented.',
  'claim.name': 'Name',
  'claim.agency': 'Agency',
  'claim.employee_number': 'Employee number',
  'claim.department': 'Department',
  'claim.position': 'Position',
  'claim.photo_digest': 'Photo',
};
