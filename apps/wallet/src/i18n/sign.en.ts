// English messages of the signature-request screen. Typed against the Korean catalog.
import type { signKo } from './sign.ko.ts';

export const signEn: { readonly [K in keyof typeof signKo]: string } = {
  'actions.sign': 'Signature requests',
  'sign.title': 'Signature requests',
  'sign.lead':
    'Work systems ask you to sign these documents. Check that the title and hash match what the work system shows.',
  'sign.none': 'No signature request is waiting.',
  'sign.document': 'Document',
  'sign.requester': 'Requested by',
  'sign.reason': 'Reason',
  'sign.requestedAt': 'Requested',
  'sign.expiresAt': 'Valid until',
  'sign.hash': 'Document hash (SHA-256)',
  'sign.sign': 'Review and sign',
  'sign.decline': 'Decline',
  'sign.refresh': 'Refresh',
  'sign.back': 'Back to my ID',
  'sign.confirmTitle': 'Check the document',
  'sign.pinTitle': 'Sign with your PIN',
  'sign.pinLead': 'You sign the request of {system} with the ID on this device. The server checks your PIN.',
  'sign.submit': 'Sign',
  'sign.done': 'Signed "{title}" and sent it to {system}.',
  'sign.declined': 'Declined the signature request for "{title}".',
  'sign.when': 'as of {now}',
};
