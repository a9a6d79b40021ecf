// Nova builds its claim messages with Python's % operator; these reproduce it exactly.
// JavaScript's toFixed differs: it rounds ties away from zero (0.125 -> "0.13" where
// Python prints "0.12"), drops the sign of -0 and switches to exponent form at 1e21.

const float64 = new DataView(new ArrayBuffer(8));

/** The exact value of a finite double as numerator / 2^shift (shift >= 0). */
function exactBinary(value: number): { numerator: bigint; shift: bigint } {
  float64.setFloat64(0, value);
  const high = float64.getUint32(0);
  const low = float64.getUint32(4);
  const biasedExponent = (high >>> 20) & 0x7ff;
  let mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  let exponent: number;
  if (biasedExponent === 0) {
    exponent = -1074;
  } else {
    mantissa |= 1n << 52n;
    exponent = biasedExponent - 1075;
  }
  return exponent >= 0
    ? { numerator: mantissa << BigInt(exponent), shift: 0n }
    : { numerator: mantissa, shift: BigInt(-exponent) };
}

// Below this magnitude toFixed never uses exponent form and value * 8 is exact.
const TO_FIXED_SAFE = 2 ** 49;

/**
 * A decimal tie (…5 exactly at the first dropped digit) needs a value whose binary
 * expansion ends within three places after the point, i.e. value * 8 is an integer.
 * Everything else toFixed already rounds correctly.
 */
function toFixedAgreesWithPython(value: number): boolean {
  return Math.abs(value) < TO_FIXED_SAFE && !Object.is(value, -0) && !Number.isInteger(value * 8);
}

/** Python's `'%.Nf' % value`: correctly rounded, ties to even, sign of -0.0 kept. */
export function formatFixed(value: number, decimals: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (decimals === 2 && toFixedAgreesWithPython(value)) return value.toFixed(2);
  const negative = value < 0 || Object.is(value, -0);
  const { numerator, shift } = exactBinary(Math.abs(value));
  const scaled = numerator * 10n ** BigInt(decimals);
  const divisor = 1n << shift;
  let units = scaled / divisor;
  const twiceRemainder = (scaled % divisor) * 2n;
  if (twiceRemainder > divisor || (twiceRemainder === divisor && units % 2n === 1n)) units += 1n;
  let digits = units.toString().padStart(decimals + 1, '0');
  if (decimals > 0) digits = `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return negative ? `-${digits}` : digits;
}

/** Python's `'%d' % value`: truncates toward zero, full digits, no "-0". */
export function formatInteger(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`%d of ${value}`);
  return BigInt(Math.trunc(value)).toString();
}

/**
 * Python's `repr(float)` (and `str(float)`): the shortest digits that read back, in
 * fixed form from 1e-4 up to 1e16 and with an exponent of at least two digits outside
 * it, always with a point or exponent (`16.0`, `1e+16`, `1.5e-05`).
 */
export function formatFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const [mantissa, exponentText] = value.toExponential().split('e');
  const sign = value < 0 ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    return `${sign}${digits[0]}${fraction}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  return `${sign}${whole}.${digits.slice(exponent + 1) || '0'}`;
}
