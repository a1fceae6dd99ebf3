import { createPublicKey, type KeyObject, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import type { Command } from 'commander';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import {
  type BirthClaims,
  type CredentialFailure,
  credentialFailureText,
  isCredentialError,
  type KeyResolver,
  keySetResolver,
  type PersonName,
  type PublicJwk,
  importPublicJwk,
  type VerifiedCredential,
  verifyQrText,
  type WebCryptoKey,
} from '../../certificates/codec/index.ts';
import { publishedKeySet, signingKeysInstalled } from '../../certificates/keys.ts';
import { storedCertificateStatus } from '../../certificates/verification.ts';
import { AppError } from '../../core/errors.ts';
import { loadPack } from '../../places/pack.ts';
import { withDb } from '../context.ts';
import { readFile, readJsonFile, readKeySet } from '../key-set-source.ts';

// jsqr is a CommonJS bundle: under NodeNext its default import is the module, whose `default` is the reader.
const readQrCode = jsQRModule.default;

const examples = `
Examples:
  tirkeu verify 'KZ1:6BF…' --keys https://registry.example/.well-known/tirkeu-keys.json
  tirkeu verify certificate-qr.png --keys keys.json
  tirkeu verify 'HC1:NCF…' --trust dsc.pem --at 2021-05-06T18:00:00Z
  tirkeu verify payload.txt --trust issuer-key.jwk --json

The payload is the text of the QR code: KZ1:… (tirkeu), HC1:… (EU Digital COVID Certificate),
a bare Base45 payload (MOSIP Claim 169), or a link https://…/verify#KZ1:…. It is never trimmed
(a space is a Base45 character); quote it in the shell.

Exit status: 0 when the signature is valid and the credential is within its validity at --at;
1 otherwise, with the reason code (bad_base45, bad_compression, bad_cbor, bad_cose,
unsupported_algorithm, unknown_key, bad_signature, expired, not_yet_valid, key_expired,
bad_claims, too_large) and a sentence. A tirkeu birth certificate's status is checked too: in the
local database (no --keys), or at the registry that published --keys URL (POST
/api/v1/certificates/verify); revoked or superseded exits 1. With --keys FILE or --trust, or when
the registry cannot be reached, only the signature is checked, and the output says so.
`;

interface VerifyCommandOptions {
  trust?: string;
  keys?: string;
  at?: string;
  json?: boolean;
}

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .argument('<payload|file>', 'the QR text, a file holding it, a PNG image of the QR code, or - to read standard input')
    .description(
      "verify a signed QR credential offline: a tirkeu birth certificate against tirkeu's published key set, or any COSE_Sign1 " +
        'health or identity credential (EU DCC, MOSIP Claim 169) against a key or signing certificate you trust (ES256, PS256, EdDSA)',
    )
    .option(
      '--trust <file>',
      "verify with this key instead of a key set: a PEM X.509 signing certificate (its validity is checked at --at), " +
        'a PEM public key, or a public JWK (Ed25519, EC P-256, RSA for PS256)',
    )
    .option('--keys <url|file>', "tirkeu's published key set (JSON), from an http(s) URL such as https://<registry>/.well-known/tirkeu-keys.json or a file")
    .option('--at <time>', 'judge validity at this ISO 8601 instant instead of now, e.g. 2021-05-06T18:00:00Z')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', examples)
    .action(async (input: string, options: VerifyCommandOptions) => {
      const at = instantOf(options.at);
      const keys = await keyResolverFor(options);
      const text = readPayload(input);
      try {
        const credential = await verifyQrText(text, { keys, at });
        const status = credential.format === 'tirkeu-birth' && !options.trust ? await statusOf(text, credential, options) : { state: 'unchecked' as const, why: 'not a tirkeu certificate, or a trusted key was given' };
        const current = status.state === 'valid' || status.state === 'unchecked';
        if (!current) process.exitCode = 1;
        if (options.json) process.stdout.write(`${JSON.stringify({ valid: current, at, status, credential }, null, 2)}\n`);
        else {
          printValid(credential, at);
          process.stdout.write(statusLine(status));
        }
      } catch (error) {
        if (!isCredentialError(error)) throw error;
        process.exitCode = 1;
        printInvalid(error.reason, error.message, options.json === true);
      }
    });
}

type CertificateState = { state: 'valid' } | { state: 'revoked' | 'superseded'; since: string } | { state: 'unchecked'; why: string };

/**
 * A certificate's status: from the local database when its key set was used, or from the registry
 * whose published key set was fetched. A file of keys says nothing of status.
 */
async function statusOf(text: string, credential: VerifiedCredential, options: VerifyCommandOptions): Promise<CertificateState> {
  const birth = credential.birth!;
  if (!options.keys) {
    const status = await withDb(async (db, config) => storedCertificateStatus(db, loadPack(config.pack).settings.timeZone, birth.serial, credential.kid));
    return status ?? { state: 'unchecked', why: 'this database has no such certificate' };
  }
  if (!/^https?:\/\//i.test(options.keys)) return { state: 'unchecked', why: 'the key set came from a file: ask the registry for the status' };
  try {
    const response = await fetch(new URL('/api/v1/certificates/verify', options.keys), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ payload: text }),
      signal: AbortSignal.timeout(15_000),
    });
    const answer = (await response.json()) as { verdict?: string; statusDate?: string | null };
    if (answer.verdict === 'valid') return { state: 'valid' };
    if ((answer.verdict === 'revoked' || answer.verdict === 'superseded') && answer.statusDate) return { state: answer.verdict, since: answer.statusDate };
    return { state: 'unchecked', why: `the registry answered ${response.status} ${answer.verdict ?? ''}`.trim() };
  } catch (error) {
    return { state: 'unchecked', why: `the registry could not be reached (${error instanceof Error ? error.message : String(error)})` };
  }
}

function statusLine(status: CertificateState): string {
  if (status.state === 'valid') return '  status: valid (not revoked, not superseded)\n';
  if (status.state === 'unchecked') return `  status: not checked: ${status.why}\n`;
  return `${status.state}: ${status.state === 'revoked' ? 'the certificate has been revoked' : 'the record was corrected after this certificate was issued'}, since ${status.since}\n`;
}

function instantOf(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const at = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(at.getTime())) {
    throw new AppError('validation_failed', `--at ${JSON.stringify(value)} is not a time`, {
      field: 'at',
      hint: 'use ISO 8601, e.g. 2021-05-06T18:00:00Z',
    });
  }
  return at;
}

/** The key source: --trust (one key), --keys (a published key set), else the local database's key set. */
async function keyResolverFor(options: VerifyCommandOptions): Promise<KeyResolver> {
  if (options.trust && options.keys) {
    throw new AppError('validation_failed', 'give either --trust or --keys, not both', { field: 'trust' });
  }
  if (options.trust) return trustedKeyResolver(options.trust);
  if (options.keys) return keySetResolver(await readKeySet(options.keys));
  const set = await withDb(async (db, config) => ((await signingKeysInstalled(db)) ? publishedKeySet(db, loadPack(config.pack).settings.code.toUpperCase()) : undefined));
  if (!set?.keys.length) {
    throw new AppError('validation_failed', 'no key to verify with: this database has no signing keys; name the key set or the key to trust', {
      field: 'keys',
      hint: 'pass --keys https://<registry>/.well-known/tirkeu-keys.json (or a file holding it), or --trust CERT.pem|KEY.jwk',
    });
  }
  return keySetResolver(set);
}


/**
 * A resolver that trusts one key whatever kid the payload names, as EU DCC readers do with a
 * given signer certificate. A certificate's validity applies at the verification instant.
 */
async function trustedKeyResolver(file: string): Promise<KeyResolver> {
  const bytes = readFile(file, 'trust');
  const text = bytes.toString('utf8');
  let certificate: X509Certificate | undefined;
  let keyObject: KeyObject | undefined;
  let jwk: PublicJwk | undefined;
  if (text.includes('-----BEGIN CERTIFICATE-----')) {
    certificate = new X509Certificate(text);
  } else if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    throw new AppError('validation_failed', `${file} holds a private key`, { field: 'trust', hint: 'give the public key or the signing certificate' });
  } else if (text.includes('-----BEGIN PUBLIC KEY-----')) {
    keyObject = createPublicKey(text);
  } else if (text.trimStart().startsWith('{')) {
    const parsed = readJsonFile(file, 'trust') as Partial<PublicJwk> & { keys?: unknown };
    if (typeof parsed.kty !== 'string') {
      throw new AppError('validation_failed', `${file} is JSON but not a JWK (no "kty")`, {
        field: 'trust',
        hint: parsed.keys ? 'a key set goes to --keys' : 'give a public JWK, a PEM public key or a PEM certificate',
      });
    }
    jwk = parsed as PublicJwk;
  } else {
    // DER, or DER as base64 text (as the EU DCC test data carries signer certificates).
    const der = /^[A-Za-z0-9+/=\s]+$/.test(text) ? Buffer.from(text.replace(/\s+/g, ''), 'base64') : bytes;
    try {
      certificate = new X509Certificate(der);
    } catch {
      try {
        keyObject = createPublicKey({ key: der, format: 'der', type: 'spki' });
      } catch {
        throw new AppError('validation_failed', `${file} is not a certificate or a public key`, {
          field: 'trust',
          hint: 'give a PEM X.509 certificate, a PEM public key or a public JWK',
        });
      }
    }
  }
  if (certificate) keyObject = certificate.publicKey;
  const key = await importTrustedKey(keyObject, jwk, file);
  if (!certificate) return async () => ({ key, label: `the key in ${file}` });
  const trusted = {
    key,
    validFrom: new Date(certificate.validFrom),
    validTo: new Date(certificate.validTo),
    validityAppliesTo: 'verification' as const,
    label: `the certificate ${certificate.subject.split('\n').join(', ')}`,
  };
  return async () => trusted;
}

async function importTrustedKey(keyObject: KeyObject | undefined, jwk: PublicJwk | undefined, file: string): Promise<WebCryptoKey> {
  try {
    if (keyObject?.asymmetricKeyType === 'rsa-pss') {
      // Node cannot export an RSASSA-PSS key as a JWK; WebCrypto imports its SubjectPublicKeyInfo.
      const spki = keyObject.export({ format: 'der', type: 'spki' });
      return await crypto.subtle.importKey('spki', spki, { name: 'RSA-PSS', hash: 'SHA-256' }, true, ['verify']);
    }
    return await importPublicJwk(jwk ?? (keyObject!.export({ format: 'jwk' }) as PublicJwk));
  } catch (error) {
    throw new AppError('validation_failed', `the key in ${file} cannot verify credentials: ${error instanceof Error ? error.message : String(error)}`, {
      field: 'trust',
      hint: 'give an Ed25519, EC P-256 or RSA public key (or a certificate holding one)',
    });
  }
}

/**
 * The QR text: from standard input (-), a PNG image of the code, a text file, or the argument
 * itself. A file's single final line break is dropped (editors add one); nothing else is trimmed.
 */
function readPayload(input: string): string {
  if (input === '-') return withoutFinalNewline(fs.readFileSync(0, 'utf8'));
  if (fs.existsSync(input) && fs.statSync(input).isFile()) {
    const bytes = readFile(input, 'payload');
    if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return readQrImage(bytes, input);
    return withoutFinalNewline(bytes.toString('utf8'));
  }
  // QR payloads are upper case after their prefix; lower case outside a link means a file name.
  if (!/^https?:\/\//i.test(input) && /[a-z]/.test(input)) {
    throw new AppError('not_found', `no file ${input}`, { field: 'payload', hint: 'give the QR text itself (quoted), or the path of a file or PNG image holding it' });
  }
  return input;
}

function withoutFinalNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}

function readQrImage(bytes: Buffer, file: string): string {
  let png: PNG;
  try {
    png = PNG.sync.read(bytes);
  } catch (error) {
    throw new AppError('validation_failed', `${file} is not a readable PNG image: ${error instanceof Error ? error.message : String(error)}`, {
      field: 'payload',
    });
  }
  const code = readQrCode(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
  if (!code) {
    throw new AppError('validation_failed', `no QR code found in ${file}`, {
      field: 'payload',
      hint: 'give a sharper image with the whole code and its white margin, or the QR text itself',
    });
  }
  return code.data;
}

const formatNames: Record<VerifiedCredential['format'], string> = {
  'tirkeu-birth': 'tirkeu birth certificate',
  'eu-dcc': 'EU Digital COVID Certificate',
  claim169: 'MOSIP Claim 169 identity credential',
  cwt: 'CWT',
};

function printValid(credential: VerifiedCredential, at: Date): void {
  const lines = [
    `valid: ${formatNames[credential.format]}, ${credential.alg} signature by ${credential.keyLabel}`,
    `  checked at ${at.toISOString()}`,
  ];
  const when = [
    credential.issuer && `issuer ${credential.issuer}`,
    credential.issuedAt && `signed ${credential.issuedAt.toISOString()}`,
    credential.notBefore && `valid from ${credential.notBefore.toISOString()}`,
    credential.expiresAt && `expires ${credential.expiresAt.toISOString()}`,
  ].filter(Boolean);
  if (when.length > 0) lines.push(`  ${when.join(', ')}`);
  if (credential.birth) lines.push(...birthLines(credential.birth));
  else lines.push(`  claims: ${JSON.stringify(credential.claims)}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

function birthLines(birth: BirthClaims): string[] {
  const name = (person: PersonName) => [person.surname, person.givenName, person.patronymic].filter(Boolean).join(' ');
  return [
    `  ${birth.kind.replace('_', ' ')} ${birth.serial}, act record ${birth.registrationNumber}, issued on ${birth.issuedOn}`,
    `  child: ${name(birth.child)}, IIN ${birth.iin}, born ${birth.dateOfBirth} in ${birth.placeOfBirth.name} (KATO ${birth.placeOfBirth.kato})`,
    `  mother: ${birth.mother ? name(birth.mother) : '—'}`,
    `  father: ${birth.father ? name(birth.father) : '—'}`,
    '  Compare these facts with the paper: the signature proves what the registry certified, not that this paper shows it.',
  ];
}

function printInvalid(reason: CredentialFailure, detail: string, json: boolean): void {
  const message = credentialFailureText[reason];
  if (json) {
    process.stdout.write(`${JSON.stringify({ valid: false, reason, message, detail }, null, 2)}\n`);
    return;
  }
  process.stdout.write(`invalid: ${reason}: ${message.en}\n  detail: ${detail}\n`);
}
