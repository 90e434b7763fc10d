/** Where to go after signing in when no (usable) return URL was given. */
export const HOME_URL = '/packages';

/**
 * The `returnUrl` query parameter if it is a path inside the console, else HOME_URL: an absolute
 * or protocol-relative address (`https://…`, `//evil.example`) is never followed.
 */
export function safeReturnUrl(raw: string | null | undefined): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\'))
    return HOME_URL;
  if (raw === '/sign-in' || raw.startsWith('/sign-in?')) return HOME_URL;
  return raw;
}
