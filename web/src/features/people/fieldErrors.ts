import type { FormInstance } from 'antd';
import { ApiError } from '../../lib/api.ts';

/** The form item an API field error belongs to ("guardianConsent.relation", "skills.0", "consent.version" …). */
function formNameOf(field: string, rename: Record<string, string>): (string | number)[] | string {
  const parts = field.replace(/^(body|query|params)[./]/, '').split(/[./]/);
  if (parts[0] === 'guardianConsent') return ['guardianConsent', parts[1] === 'relation' ? 'relation' : 'guardianName'];
  const bare = parts[0] ?? field;
  return rename[bare] ?? bare;
}

/** Puts each API field error on its form item; true when there were any. */
export function applyFieldErrors(form: FormInstance, error: unknown, rename: Record<string, string> = {}): boolean {
  if (!(error instanceof ApiError) || error.fieldErrors.length === 0) return false;
  const byName = new Map<string, { name: (string | number)[] | string; errors: string[] }>();
  for (const { field, message } of error.fieldErrors) {
    const name = formNameOf(field, rename);
    const key = JSON.stringify(name);
    const entry = byName.get(key) ?? { name, errors: [] };
    entry.errors.push(message);
    byName.set(key, entry);
  }
  form.setFields([...byName.values()].map(({ name, errors }) => ({ name: name as string, errors })));
  return true;
}
