import { Metadata } from 'libphonenumber-js/max';

/**
 * E.164 for the shapes nearly every number arrives in (`+15125550123`, `(512) 555-0123`, `+442079460958`)
 * without libphonenumber's parse, which costs ~7 µs a number mostly in bookkeeping: a new Metadata view
 * and a `new RegExp` per pattern per call. The answer is the library's own, taken the same way: its
 * metadata (the same `max` object its parse uses) compiled once into anchored regexes, and its decision
 * procedure retraced step by step:
 *
 * - parse (+1, +44): the calling code selects the main country's plan (US, GB); the national number is the
 *   digits after it unless that plan's national prefix for parsing matches their start. That prefix ('1'
 *   for US, '0|180020' for GB) is checked here, and a match is left to the library.
 * - NANP text without '+': for ten digits starting 2-9 neither the IDD prefix (011) nor the calling code or
 *   national prefix ('1') can match, so the digits are the national number. With a leading '1', the eleven
 *   digits do not match US's national pattern and ten digits is a possible length everywhere in +1, so the
 *   library strips it, both as a calling code without '+' and as a national prefix: the same ten digits.
 * - country (getCountryByNationalNumber): the countries of the calling code in metadata order; the first
 *   whose leading digits match at the start is taken, or, for a country without leading digits, the first
 *   whose number types accept the number. None: the main country.
 * - valid (isValid, getNumberType): the number matches that country's national pattern and one of its
 *   number types (non-empty pattern, a possible length of the type, the pattern matching entirely).
 *
 * test/unit/normalize-phone-fastpath.test.ts checks the answers against the full parse on a large
 * generated set. Anything else is left to the library (undefined).
 */

/** What this file reads of the library's Metadata: public at run time, mostly missing from its typings. */
interface NumberingPlanView {
  nationalNumberPattern(): string;
  nationalPrefixForParsing(): string | undefined;
  leadingDigits(): string | undefined;
  hasTypes(): boolean;
  type(name: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
}
interface MetadataView {
  selectNumberingPlan(countryOrCallingCode: string): void;
  getCountryCodesForCallingCode(callingCode: string): string[] | undefined;
  numberingPlan: NumberingPlanView;
}

/** getNumberType tries FIXED_LINE and then these; for validity only "any of them" counts. */
const NUMBER_TYPES = [
  'FIXED_LINE',
  'MOBILE',
  'PREMIUM_RATE',
  'TOLL_FREE',
  'SHARED_COST',
  'VOIP',
  'PERSONAL_NUMBER',
  'PAGER',
  'UAN',
  'VOICEMAIL',
] as const;

interface NumberType {
  readonly pattern: RegExp;
  readonly lengths: readonly number[] | undefined;
}

interface CountryRules {
  /** Country chosen by leading digits alone (and then validated), as the library does. */
  readonly leading: RegExp | undefined;
  readonly national: RegExp;
  readonly types: readonly NumberType[];
}

function entire(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

function hasType(country: CountryRules, national: string): boolean {
  if (!country.national.test(national)) return false;
  for (const t of country.types) {
    if (t.lengths !== undefined && !t.lengths.includes(national.length)) continue;
    if (t.pattern.test(national)) return true;
  }
  return false;
}

class CallingCodePlan {
  constructor(
    private readonly prefixForParsing: RegExp | undefined,
    private readonly countries: readonly CountryRules[],
  ) {}

  /** The library would strip a national prefix from these digits: not a case this file answers. */
  stripsPrefix(digits: string): boolean {
    return this.prefixForParsing?.test(digits) ?? false;
  }

  isValid(national: string): boolean {
    for (const country of this.countries) {
      if (country.leading !== undefined) {
        if (country.leading.test(national)) return hasType(country, national);
      } else if (hasType(country, national)) {
        return true;
      }
    }
    // No country: the library validates against the main one, which the loop has already tried unless
    // leading digits alone would have chosen it.
    const main = this.countries[0];
    return main.leading !== undefined && hasType(main, national);
  }
}

/** Undefined when the metadata is not shaped as this file expects: the library answers everything then. */
function compilePlan(callingCode: string): CallingCodePlan | undefined {
  const metadata = new Metadata() as unknown as MetadataView;
  const codes = metadata.getCountryCodesForCallingCode(callingCode);
  if (codes === undefined || codes.length === 0) return undefined;
  const countries: CountryRules[] = [];
  for (const code of codes) {
    metadata.selectNumberingPlan(code);
    const plan = metadata.numberingPlan;
    // Without types the library's isValid falls back to the national pattern alone: not retraced here.
    if (!plan.hasTypes()) return undefined;
    const types: NumberType[] = [];
    for (const name of NUMBER_TYPES) {
      const type = plan.type(name);
      const pattern = type?.pattern();
      if (type === undefined || !pattern) continue;
      types.push({ pattern: entire(pattern), lengths: type.possibleLengths() });
    }
    const leading = plan.leadingDigits();
    countries.push({
      leading: leading ? new RegExp(`^(?:${leading})`) : undefined,
      national: entire(plan.nationalNumberPattern()),
      types,
    });
  }
  metadata.selectNumberingPlan(callingCode);
  const prefix = metadata.numberingPlan.nationalPrefixForParsing();
  return new CallingCodePlan(prefix ? new RegExp(`^(?:${prefix})`) : undefined, countries);
}

const NANP = compilePlan('1');
const UK = compilePlan('44');

const NANP_E164 = /^\+1[2-9]\d{9}$/;
/** (512) 555-0123, 512.555.0123, 1-512-555-0123, +1 512 555 0123, 5125550123: area code 2-9, ten digits. */
const NANP_TEXT = /^(?:\+?1[ .-]?)?\(?([2-9]\d{2})\)?[ .-]?(\d{3})[ .-]?(\d{4})$/;
/** GB national numbers are 7 to 10 digits long. */
const UK_E164 = /^\+44\d{7,10}$/;

/** E.164, or null when the library would find the number invalid, or undefined: only the library can tell. */
export function fastE164(raw: string): string | null | undefined {
  if (NANP !== undefined) {
    if (NANP_E164.test(raw)) return decide(NANP, raw, 2);
    const text = NANP_TEXT.exec(raw);
    if (text !== null) return decide(NANP, `+1${text[1]}${text[2]}${text[3]}`, 2);
  }
  if (UK !== undefined && UK_E164.test(raw)) return decide(UK, raw, 3);
  return undefined;
}

function decide(plan: CallingCodePlan, e164: string, codeLength: number): string | null | undefined {
  const national = e164.slice(codeLength);
  if (plan.stripsPrefix(national)) return undefined;
  return plan.isValid(national) ? e164 : null;
}
