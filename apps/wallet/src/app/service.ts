// What the screens need from the wallet. The implementation (wallet-service.ts) talks to the issuer
// and keeps everything in IndexedDB; screens only see these types.
import type { SignatureRequestView } from '@gongjik/mobile-id';
import type { KnownStatus } from '../status/status.ts';

export type { SignatureRequestView };

/** The claims shown on the card (from the SD-JWT VC's disclosures). */
export interface CardView {
  readonly name: string;
  readonly employeeNumber: string;
  readonly agency: string;
  readonly department: string;
  readonly position: string;
  readonly validFrom: number | null;
  readonly validUntil: number;
  readonly installedAt: number;
  readonly hasGate: boolean;
}

/** Who the offer is for, as the issuer shows it before anything is issued. */
export interface IdentityPreview {
  readonly name: string;
  readonly agency: string;
  readonly employeeNumber: string;
  readonly department?: string;
  readonly position?: string;
}

export interface UnlockState {
  /** Epoch ms until which the card is unlocked (gates keep working offline until then). */
  readonly until: number;
}

export interface WalletSnapshot {
  readonly card: CardView | null;
  /** The card arrived but its PIN is not set yet (the installation was interrupted). */
  readonly pinPending: boolean;
  readonly status: KnownStatus | null;
  readonly unlock: UnlockState | null;
  readonly biometrics: boolean;
}

/** One installation in progress (from an offer link). */
export interface InstallSession {
  /** Host of the issuer named in the offer. */
  readonly issuerHost: string;
  readonly txCodeLength: number;
  /** Redeems the one-time code; returns who the card is for (nothing is issued yet). */
  redeem(txCode: string): Promise<IdentityPreview>;
  /** The holder said the identity is not theirs: nothing is issued. */
  reject(): void;
  /**
   * The holder confirmed the identity and chose a PIN: makes the device key, receives the card,
   * stores it and sets the PIN with the issuer.
   */
  complete(pin: string): Promise<void>;
}

/** The outcome of a server PIN check. */
export type PinOutcome =
  | { readonly ok: true; readonly until: number }
  | { readonly ok: false; readonly locked: false; readonly remaining: number | null }
  | { readonly ok: false; readonly locked: true };

/** A verifier's OpenID4VP request as the holder sees it before consenting. */
export interface PresentationView {
  /** the relying party's name as the request gives it (null when it gives none) */
  readonly verifierName: string | null;
  /** host of the endpoint that receives the answer */
  readonly verifierHost: string;
  /** the short code the asking screen shows too */
  readonly matchCode: string;
  /** exactly the claims that will leave the phone, with their values */
  readonly disclosed: readonly { readonly name: string; readonly value: string }[];
  /** the card's other claims, which stay on the phone */
  readonly kept: readonly string[];
}

export interface WalletService {
  snapshot(): Promise<WalletSnapshot>;
  /** Reads the offer of an install link (checks it names the trusted issuer). */
  beginInstall(link: string): Promise<InstallSession>;
  /** Sets the PIN of a card whose installation stopped before it (snapshot.pinPending). */
  finishPin(pin: string): Promise<void>;
  /** Whether a platform authenticator with user verification exists here. */
  biometricsAvailable(): Promise<boolean>;
  /**
   * Enrols a WebAuthn platform credential (user verification required) with the issuer, which binds
   * it to the card; the PIN is checked (and counted) first.
   */
  enrolBiometrics(pin: string): Promise<void>;
  refreshStatus(): Promise<KnownStatus>;
  unlock(pin: string): Promise<PinOutcome>;
  /** Unlocks with the enrolled biometrics: an assertion the issuer verifies (failures count like PINs). */
  unlockWithBiometrics(): Promise<PinOutcome>;
  lock(): Promise<void>;
  gateQr(gateGroup: string): Promise<string>;
  reportLost(pin: string): Promise<PinOutcome>;
  reactivate(pin: string): Promise<PinOutcome>;
  /** True when the issuer lets the wallet suspend its own card (else: the web app). */
  canReportLost(): boolean;
  /** True when the issuer lets the wallet reactivate a suspended card (else: the web app). */
  canReactivate(): boolean;
  reset(): Promise<void>;
  /** Reads a presentation request (deep link, QR or pasted `openid4vp://` link) for consent. */
  previewPresentation(link: string): Promise<PresentationView>;
  /** After consent: unlocks with the PIN (checked by the issuer), then sends the presentation. */
  present(link: string, pin: string): Promise<PinOutcome>;
  /** Signature requests of work systems waiting for this card (screens/sign). */
  signatureRequests(): Promise<SignatureRequestView[]>;
  /** The PIN (checked by the issuer) confirms; the device key signs; the bundle goes to the issuer. */
  signRequest(request: SignatureRequestView, pin: string): Promise<PinOutcome>;
  declineRequest(id: string): Promise<void>;
}
