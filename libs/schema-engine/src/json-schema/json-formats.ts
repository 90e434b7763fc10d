import type Ajv from 'ajv';
import { type Format } from 'ajv';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats';

import { compileLinear } from './json-regexp';

/**
 * ajv-formats' "full" formats with every regular expression run by RE2 (json-regexp.ts), so no
 * format check is super-linear: measured on JavaScript's engine, `url` was quadratic (8,000
 * characters: 140 ms, 4× longer: 36× slower); the others are moved too, so that linear time is
 * guaranteed rather than measured. Three patterns use lookahead, which RE2 lacks: `duration`,
 * `hostname` and `url` are rewritten without it (same language; checked against the originals
 * in json-formats.spec.ts). Formats written as functions (date, time, date-time, uri, byte,
 * regex, …) use small anchored expressions and stay as they are.
 */

type Check = (value: string) => boolean;

const linear = (regex: RegExp): Check => {
  const compiled = compileLinear(regex.source, regex.flags);
  return (value) => compiled.test(value);
};

/** `^P(?!$)(…(T(?=\d)…)?…)$` without the two lookaheads, which become plain checks. */
const DURATION = linear(/^P((\d+Y)?(\d+M)?(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?|(\d+W)?)$/);
function duration(value: string): boolean {
  const t = value.indexOf('T');
  return value.length > 1 && DURATION(value) && (t < 0 || /\d/.test(value.charAt(t + 1)));
}

/** The lookahead `(?=.{1,253}\.?$)` is a length check. */
const HOSTNAME = linear(
  /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[-0-9a-z]{0,61}[0-9a-z])?)*\.?$/i,
);
function hostname(value: string): boolean {
  const length = value.endsWith('.') ? value.length - 1 : value.length;
  return length <= 253 && HOSTNAME(value);
}

/**
 * ajv-formats' `url` (after dperini): its three negative lookaheads refuse private IPv4 hosts
 * (10/8, 127/8, 169.254/16, 192.168/16, 172.16/12). Here the IPv4 alternative lists the
 * allowed first two octets instead.
 */
const OCTET_2 = '1?\\d{1,2}|2[0-4]\\d|25[0-5]';
const PUBLIC_IPV4 =
  `(?:(?:[1-9]|1[1-9]|[2-9]\\d|1[013458]\\d|12[0-689]|16[0-8]|17[013-9]|19[013-9]|2[01]\\d|22[0-3])\\.(?:${OCTET_2})` +
  `|169\\.(?:1?\\d{1,2}|2[0-4]\\d|25[0-35])` +
  `|192\\.(?:\\d{1,2}|1[0-57-9]\\d|16[0-79]|2[0-4]\\d|25[0-5])` +
  `|172\\.(?:\\d|0\\d|1[0-5]|3[2-9]|[4-9]\\d|1\\d\\d|2[0-4]\\d|25[0-5]))` +
  `\\.(?:${OCTET_2})\\.(?:[1-9]\\d?|1\\d\\d|2[0-4]\\d|25[0-4])`;
const HOST_NAME =
  '(?:(?:[a-z0-9\\u{00a1}-\\u{ffff}]+-)*[a-z0-9\\u{00a1}-\\u{ffff}]+)(?:\\.(?:[a-z0-9\\u{00a1}-\\u{ffff}]+-)*[a-z0-9\\u{00a1}-\\u{ffff}]+)*(?:\\.(?:[a-z\\u{00a1}-\\u{ffff}]{2,}))';
const URL_FORMAT = linear(
  new RegExp(
    `^(?:https?|ftp):\\/\\/(?:\\S+(?::\\S*)?@)?(?:${PUBLIC_IPV4}|${HOST_NAME})(?::\\d{2,5})?(?:\\/[^\\s]*)?$`,
    'iu',
  ),
);

const REWRITTEN: Record<string, Check> = { duration, hostname, url: URL_FORMAT };

/** The formats whose regular expressions RE2 runs, by name. */
export function linearFormats(): Record<string, Format> {
  const formats: Record<string, Format> = {};
  for (const [name, format] of Object.entries(fullFormats)) {
    if (REWRITTEN[name]) formats[name] = REWRITTEN[name];
    else if (format instanceof RegExp) formats[name] = linear(format);
  }
  return formats;
}

let cached: Record<string, Format> | undefined;

/** ajv-formats (formats and the formatMinimum/… keywords), regular expressions on RE2. */
export function addLinearFormats(ajv: Ajv): void {
  addFormats(ajv);
  cached ??= linearFormats();
  for (const [name, format] of Object.entries(cached)) ajv.addFormat(name, format);
}
