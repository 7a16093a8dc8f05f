// What the screens need from the wallet. The implementation (wallet-service.ts) talks to the issuer
// and keeps everything in IndexedDB; screens only see these types.
import type { KnownStatus } from '../status/status.ts';

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

export interface WalletService {
  snapshot(): Promise<WalletSnapshot>;
  /** Reads the offer of an install link (checks it names the trusted issuer). */
  beginInstall(link: string): Promise<InstallSession>;
  /** Sets the PIN of a card whose installation stopped before it (snapshot.pinPending). */
  finishPin(pin: string): Promise<void>;
  /** Whether a platform authenticator with user verification exists here. */
  biometricsAvailable(): Promise<boolean>;
  /** Enrols a WebAuthn platform credential (user verification required) for the card's holder. */
  enrolBiometrics(): Promise<void>;
  refreshStatus(): Promise<KnownStatus>;
  unlock(pin: string): Promise<PinOutcome>;
  lock(): Promise<void>;
  gateQr(gateGroup: string): Promise<string>;
  reportLost(pin: string): Promise<PinOutcome>;
  reactivate(pin: string): Promise<PinOutcome>;
  /** True when the issuer lets the wallet suspend its own card (else: the web app). */
  canReportLost(): boolean;
  /** True when the issuer lets the wallet reactivate a suspended card (else: the web app). */
  canReactivate(): boolean;
  reset(): Promise<void>;
}
