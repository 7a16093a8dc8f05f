// The electronic-signature screens, one lazily loaded chunk: /verify (public) and /sign (signed in).
import { SignDocumentScreen } from './SignDocumentScreen.tsx';
import { VerifyScreen } from './VerifyScreen.tsx';

export default function SignScreens(props: { readonly route: 'verify' | 'sign' }) {
  return props.route === 'verify' ? <VerifyScreen /> : <SignDocumentScreen />;
}
